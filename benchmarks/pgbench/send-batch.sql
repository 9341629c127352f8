-- The PostgreSQL store's standard SendMessageBatch (PostgresMessageStore+Messages.swift): ten
-- 100-byte messages in one INSERT, in an explicit transaction as the store runs it (COMMIT's
-- answer is the proof of durability), driven by pgbench: the database's own ceiling.
BEGIN;
INSERT INTO messages (queue_id, message_id, body, md5_body, attributes, md5_attributes, trace_header,
                      sender_id, sent_at, visible_at)
SELECT :queue, m.id, m.body, m.md5, NULLIF(m.attributes, ''::bytea), NULLIF(m.md5_attributes, ''),
       NULLIF(m.trace, ''), m.sender, m.sent, m.visible
FROM unnest(ARRAY(SELECT gen_random_uuid()::text FROM generate_series(1, 10)),
            array_fill(repeat('x', 100), ARRAY[10]), array_fill('f899139df5e1059396431415e770c6dd'::text, ARRAY[10]),
            array_fill(''::bytea, ARRAY[10]), array_fill(''::text, ARRAY[10]), array_fill(''::text, ARRAY[10]),
            array_fill('000000000000'::text, ARRAY[10]),
            array_fill((extract(epoch FROM clock_timestamp()) * 1000)::bigint, ARRAY[10]),
            array_fill((extract(epoch FROM clock_timestamp()) * 1000)::bigint, ARRAY[10]))
     WITH ORDINALITY AS m(id, body, md5, attributes, md5_attributes, trace, sender, sent, visible, ord)
ORDER BY m.ord
RETURNING seq;
COMMIT;
