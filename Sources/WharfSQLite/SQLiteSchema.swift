import GRDB

/// The store's tables. Migrations only ever append: a data directory written by an older Wharf
/// opens in a newer one.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE queues (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
                    attributes TEXT NOT NULL, tags TEXT NOT NULL,
                    created_at INTEGER NOT NULL, modified_at INTEGER NOT NULL, purged_at INTEGER,
                    UNIQUE (account, region, name));
                CREATE TABLE deleted_queues (
                    account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
                    deleted_at INTEGER NOT NULL, PRIMARY KEY (account, region, name));
                CREATE TABLE messages (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    queue_id INTEGER NOT NULL,
                    message_id TEXT NOT NULL,
                    body TEXT NOT NULL,
                    md5_body TEXT NOT NULL,
                    attributes BLOB,
                    trace_header TEXT,
                    sender_id TEXT NOT NULL,
                    group_id TEXT,
                    sent_at INTEGER NOT NULL,
                    visible_at INTEGER NOT NULL,
                    receive_count INTEGER NOT NULL DEFAULT 0,
                    first_receive_at INTEGER,
                    received_at INTEGER);
                CREATE INDEX messages_by_visibility ON messages (queue_id, visible_at, seq);
                CREATE INDEX messages_by_age ON messages (queue_id, sent_at);
                """)
        }
        // FIFO queues, dead-letter queues and move tasks.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE messages ADD COLUMN dedup_id TEXT;
                ALTER TABLE messages ADD COLUMN dead_letter_source TEXT;
                -- Partial: ungrouped messages of standard queues, the common case, pay nothing.
                CREATE INDEX messages_by_group ON messages (queue_id, group_id, seq) WHERE group_id IS NOT NULL;
                -- Deduplication ids outlive their messages: the 5-minute window holds after a delete.
                CREATE TABLE dedup (
                    queue_id INTEGER NOT NULL, scope TEXT NOT NULL, dedup_id TEXT NOT NULL,
                    message_id TEXT NOT NULL, seq INTEGER NOT NULL, expires_at INTEGER NOT NULL,
                    PRIMARY KEY (queue_id, scope, dedup_id)) WITHOUT ROWID;
                CREATE INDEX dedup_by_expiry ON dedup (expires_at);
                CREATE TABLE receive_attempts (
                    queue_id INTEGER NOT NULL, attempt_id TEXT NOT NULL, created_at INTEGER NOT NULL,
                    receipts TEXT NOT NULL, nonce INTEGER NOT NULL,
                    PRIMARY KEY (queue_id, attempt_id)) WITHOUT ROWID;
                CREATE TABLE move_tasks (
                    id TEXT PRIMARY KEY, source_queue_id INTEGER NOT NULL, source_arn TEXT NOT NULL,
                    destination_arn TEXT, max_per_second INTEGER, status TEXT NOT NULL,
                    moved INTEGER NOT NULL, to_move INTEGER NOT NULL, started_at INTEGER NOT NULL,
                    failure_reason TEXT, boundary_seq INTEGER NOT NULL);
                """)
        }
        // Several writers: versioned queue rows, leases, one active move task per source, and
        // attribute digests kept from the send. Receives in send order (a message whose
        // visibility ran out before those sent after it: two lanes, never received and received
        // before, merged by seq) and FIFO groups as rows, so that a receive skips a blocked group
        // in one step however many messages wait in it, and serves groups in turn.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                ALTER TABLE queues ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
                ALTER TABLE queues ADD COLUMN fifo INTEGER NOT NULL DEFAULT 0;
                UPDATE queues SET fifo = 1 WHERE json_extract(attributes, '$.FifoQueue') = 'true';
                DROP INDEX messages_by_visibility;
                CREATE INDEX messages_fresh ON messages (queue_id, visible_at, seq) WHERE receive_count = 0;
                CREATE INDEX messages_redelivered ON messages (queue_id, visible_at, seq) WHERE receive_count > 0;
                CREATE TABLE fifo_groups (
                    queue_id INTEGER NOT NULL, group_id TEXT NOT NULL, turn INTEGER NOT NULL,
                    PRIMARY KEY (queue_id, group_id)) WITHOUT ROWID;
                CREATE INDEX fifo_groups_by_turn ON fifo_groups (queue_id, turn, group_id);
                INSERT INTO fifo_groups
                    SELECT m.queue_id, m.group_id, MIN(m.seq) FROM messages m JOIN queues q ON q.id = m.queue_id
                    WHERE q.fifo = 1 AND m.group_id IS NOT NULL GROUP BY m.queue_id, m.group_id;
                ALTER TABLE messages ADD COLUMN md5_attributes TEXT;
                CREATE TABLE leases (
                    name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
                CREATE UNIQUE INDEX move_tasks_one_active ON move_tasks (source_queue_id)
                    WHERE status IN ('RUNNING', 'CANCELLING');
                """)
        }
        // Queue gauges, computed in the background (not per scrape).
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                CREATE TABLE queue_stats (
                    queue_id INTEGER PRIMARY KEY, visible INTEGER NOT NULL, in_flight INTEGER NOT NULL,
                    delayed INTEGER NOT NULL, oldest_sent_at INTEGER, groups_in_flight INTEGER NOT NULL,
                    noisy_groups INTEGER NOT NULL, computed_at INTEGER NOT NULL);
                """)
        }
        // Messages sent and received per queue, added to by each node's flushes.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: """
                CREATE TABLE queue_activity (
                    queue_id INTEGER PRIMARY KEY, sent INTEGER NOT NULL, received INTEGER NOT NULL);
                """)
        }
        return migrator
    }
}
