/// The store's tables, as numbered migrations that only ever append. They are applied at start
/// in one transaction under an advisory lock, so that two nodes starting at once apply each
/// migration once: the second waits for the first and then finds nothing left to do.
enum PostgresSchema {
    /// Any constant: the key of the advisory lock migrations run under.
    static let migrationLock: Int64 = 0x5748_4152_465F_4D47 // "WHARF_MG"

    static let migrations: [(version: Int, sql: String)] = [
        (1, """
        CREATE TABLE queues (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
            fifo BOOLEAN NOT NULL,
            attributes TEXT NOT NULL, tags TEXT NOT NULL,
            created_at BIGINT NOT NULL, modified_at BIGINT NOT NULL, purged_at BIGINT,
            version BIGINT NOT NULL DEFAULT 1,
            UNIQUE (account, region, name));
        CREATE TABLE deleted_queues (
            account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, deleted_at BIGINT NOT NULL,
            PRIMARY KEY (account, region, name));
        CREATE SEQUENCE message_seq;
        -- Every receive and delete leaves a dead tuple: vacuum this table early and without
        -- throttling, and leave room in each page for the updates a receive makes.
        CREATE TABLE messages (
            seq BIGINT PRIMARY KEY DEFAULT nextval('message_seq'),
            queue_id BIGINT NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
            message_id TEXT NOT NULL, body TEXT NOT NULL, md5_body TEXT NOT NULL,
            attributes BYTEA, md5_attributes TEXT, trace_header TEXT, sender_id TEXT NOT NULL,
            group_id TEXT, dedup_id TEXT, dead_letter_source TEXT,
            sent_at BIGINT NOT NULL, visible_at BIGINT NOT NULL,
            receive_count INTEGER NOT NULL DEFAULT 0, first_receive_at BIGINT, received_at BIGINT
        ) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
                autovacuum_vacuum_cost_delay = 0, autovacuum_vacuum_insert_scale_factor = 0.05,
                autovacuum_analyze_scale_factor = 0.02);
        ALTER SEQUENCE message_seq OWNED BY messages.seq;
        -- Receives read two lanes in visibility order and merge them by seq: never received
        -- (visible from send plus delay) and received before (visible again when the timeout ran out).
        CREATE INDEX messages_fresh ON messages (queue_id, visible_at, seq) WHERE receive_count = 0;
        CREATE INDEX messages_redelivered ON messages (queue_id, visible_at, seq) WHERE receive_count > 0;
        CREATE INDEX messages_by_group ON messages (queue_id, group_id, seq) WHERE group_id IS NOT NULL;
        CREATE INDEX messages_by_age ON messages (queue_id, sent_at);
        -- Deduplication ids outlive their messages: the 5-minute window holds after a delete.
        CREATE TABLE dedup (
            queue_id BIGINT NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
            scope TEXT NOT NULL, dedup_id TEXT NOT NULL, message_id TEXT NOT NULL, seq BIGINT NOT NULL,
            expires_at BIGINT NOT NULL, PRIMARY KEY (queue_id, scope, dedup_id));
        CREATE INDEX dedup_by_expiry ON dedup (expires_at);
        CREATE TABLE receive_attempts (
            queue_id BIGINT NOT NULL REFERENCES queues (id) ON DELETE CASCADE, attempt_id TEXT NOT NULL,
            created_at BIGINT NOT NULL, receipts TEXT NOT NULL, nonce BIGINT NOT NULL,
            PRIMARY KEY (queue_id, attempt_id));
        CREATE INDEX receive_attempts_by_age ON receive_attempts (created_at);
        -- One row per FIFO group with messages, in turn order; its lock is the group's lock.
        CREATE TABLE fifo_groups (
            queue_id BIGINT NOT NULL REFERENCES queues (id) ON DELETE CASCADE, group_id TEXT NOT NULL,
            turn BIGINT NOT NULL, PRIMARY KEY (queue_id, group_id));
        CREATE INDEX fifo_groups_by_turn ON fifo_groups (queue_id, turn, group_id);
        CREATE TABLE move_tasks (
            id TEXT PRIMARY KEY, source_queue_id BIGINT NOT NULL, source_arn TEXT NOT NULL,
            destination_arn TEXT, max_per_second INTEGER, status TEXT NOT NULL,
            moved BIGINT NOT NULL, to_move BIGINT NOT NULL, started_at BIGINT NOT NULL,
            failure_reason TEXT, boundary_seq BIGINT NOT NULL,
            created BIGINT GENERATED ALWAYS AS IDENTITY);
        CREATE UNIQUE INDEX move_tasks_one_active ON move_tasks (source_queue_id)
            WHERE status IN ('RUNNING', 'CANCELLING');
        CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at BIGINT NOT NULL);
        -- Which node has long polls parked on which queue: senders notify only those queues.
        CREATE TABLE waiting_nodes (
            node TEXT NOT NULL, queue_id BIGINT NOT NULL, expires_at BIGINT NOT NULL,
            PRIMARY KEY (node, queue_id));
        """),
        // Queue gauges, computed in the background by one node (not per scrape), read by all.
        (2, """
        CREATE TABLE queue_stats (
            queue_id BIGINT PRIMARY KEY, visible BIGINT NOT NULL, in_flight BIGINT NOT NULL, delayed BIGINT NOT NULL,
            oldest_sent_at BIGINT, groups_in_flight BIGINT NOT NULL, noisy_groups BIGINT NOT NULL,
            computed_at BIGINT NOT NULL);
        """),
        // Messages sent and received per queue, added to by each node's flushes.
        (3, """
        CREATE TABLE queue_activity (
            queue_id BIGINT PRIMARY KEY REFERENCES queues (id) ON DELETE CASCADE,
            sent BIGINT NOT NULL, received BIGINT NOT NULL);
        """),
    ]
}
