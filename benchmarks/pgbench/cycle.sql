-- The PostgreSQL store's standard ReceiveMessage claim (10 messages, two lanes, SKIP LOCKED,
-- dead-letter branch included; one statement) and its DeleteMessageBatch (in an explicit
-- transaction, as the store runs it), as pgbench transactions.
SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now \gset
WITH fresh AS (
    SELECT seq FROM messages WHERE queue_id = (SELECT :queue::int8) AND receive_count = 0 AND visible_at <= :now
      AND sent_at > 0 ORDER BY visible_at, seq LIMIT 10 FOR UPDATE SKIP LOCKED),
redelivered AS (
    SELECT seq FROM messages WHERE queue_id = (SELECT :queue::int8) AND receive_count > 0 AND visible_at <= :now
      AND sent_at > 0 ORDER BY visible_at, seq LIMIT 10 FOR UPDATE SKIP LOCKED),
candidates AS (
    SELECT seq FROM (SELECT seq FROM fresh UNION ALL SELECT seq FROM redelivered) AS lanes ORDER BY seq LIMIT 10),
moved AS (
    UPDATE messages m SET queue_id = :queue, dead_letter_source = '', visible_at = :now
    FROM candidates c WHERE m.seq = c.seq AND m.receive_count >= 2147483647 RETURNING m.seq),
claimed AS (
    UPDATE messages m SET visible_at = :now + 30000, receive_count = m.receive_count + 1,
           first_receive_at = COALESCE(m.first_receive_at, :now), received_at = :now
    FROM candidates c WHERE m.seq = c.seq AND m.receive_count < 2147483647
    RETURNING m.seq, m.message_id, m.body, m.md5_body, m.attributes, m.md5_attributes, m.trace_header,
              m.sender_id, m.group_id, m.dedup_id, m.dead_letter_source, m.sent_at, m.visible_at,
              m.receive_count, m.first_receive_at)
SELECT COALESCE(array_agg(seq), '{}') AS seqs FROM claimed \gset
BEGIN;
DELETE FROM messages WHERE queue_id = :queue AND seq = ANY(':seqs'::bigint[]) RETURNING seq;
COMMIT;
