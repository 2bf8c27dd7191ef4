-- Cross-node revocation feed, issue 13: one row per revoked grant, written in the revoking transaction, which
-- first locks this table (EXCLUSIVE: writers one at a time, readers never blocked) so that seq follows commit
-- order. Every node reads "WHERE seq > <last seen> ORDER BY seq" (the primary key) every 250 ms and drops the
-- grant from its cache. Rows are trimmed by the cleanup job an hour after the revocation.
CREATE TABLE ${schema}${prefix}grant_revocation (
    seq        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grant_id   text        NOT NULL,
    revoked_at timestamptz NOT NULL
);
CREATE INDEX ${prefix}grant_revocation_at_idx ON ${schema}${prefix}grant_revocation (revoked_at);
