-- mcp-oauth storage schema, version 1 (PostgreSQL 12 or later).
--
-- Placeholders, replaced before the script runs: ${schema} is empty or a schema name followed by a dot;
-- ${prefix} is the table name prefix (default "mcp_oauth_"). Flyway uses the same placeholder syntax.
--
-- Every code, token and client secret is held only as its hash (base64url SHA-256): a row of this schema never
-- holds a value that could be presented to the server. Signing keys are private key material: restrict access.
-- Instants are timestamptz (microsecond precision). Nothing here references a client by foreign key: clients
-- may come from a client ID metadata document and never be stored, and a deleted client's grants just stop
-- working.

-- Clients (RFC 7591). last_active_at is kept by the cleanup job: the latest expiry of a grant it purged.
CREATE TABLE ${schema}${prefix}client (
    client_id             text        NOT NULL PRIMARY KEY,
    secret_hash           text,
    authentication_method text        NOT NULL,
    redirect_uris         text[]      NOT NULL,
    grant_types           text[]      NOT NULL,
    scopes                text[]      NOT NULL,
    client_name           text,
    metadata_json         json        NOT NULL,
    issued_at             timestamptz NOT NULL,
    last_active_at        timestamptz
);

-- Authorization codes (RFC 6749 §4.1.2): consumed by one conditional UPDATE, kept until they expire so that a
-- replay is recognised.
CREATE TABLE ${schema}${prefix}authorization_code (
    code_hash      text        NOT NULL PRIMARY KEY,
    client_id      text        NOT NULL,
    subject        text        NOT NULL,
    redirect_uri   text,
    scopes         text[]      NOT NULL,
    resources      text[]      NOT NULL,
    code_challenge text        NOT NULL,
    grant_id       text        NOT NULL,
    issued_at      timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    consumed       boolean     NOT NULL DEFAULT false
);
CREATE INDEX ${prefix}code_expires_idx ON ${schema}${prefix}authorization_code (expires_at);

-- Grants: the token family of one authorization. refresh_token_hash is the current refresh token, rotated by
-- compare-and-set.
CREATE TABLE ${schema}${prefix}authorization_grant (
    grant_id           text        NOT NULL PRIMARY KEY,
    client_id          text        NOT NULL,
    subject            text        NOT NULL,
    scopes             text[]      NOT NULL,
    resources          text[]      NOT NULL,
    created_at         timestamptz NOT NULL,
    refresh_token_hash text,
    expires_at         timestamptz NOT NULL,
    revoked            boolean     NOT NULL DEFAULT false
);
CREATE INDEX ${prefix}grant_expires_idx ON ${schema}${prefix}authorization_grant (expires_at);
CREATE INDEX ${prefix}grant_client_idx ON ${schema}${prefix}authorization_grant (client_id, expires_at);

-- Every refresh token hash a grant ever had, current and rotated out (reuse detection, RFC 9700 §4.14.2);
-- goes with its grant.
CREATE TABLE ${schema}${prefix}refresh_token (
    token_hash text        NOT NULL PRIMARY KEY,
    grant_id   text        NOT NULL REFERENCES ${schema}${prefix}authorization_grant (grant_id) ON DELETE CASCADE,
    issued_at  timestamptz NOT NULL
);
CREATE INDEX ${prefix}refresh_token_grant_idx ON ${schema}${prefix}refresh_token (grant_id);

-- Consents, one per resource owner and client.
CREATE TABLE ${schema}${prefix}consent (
    subject    text        NOT NULL,
    client_id  text        NOT NULL,
    scopes     text[]      NOT NULL,
    resources  text[]      NOT NULL,
    granted_at timestamptz NOT NULL,
    PRIMARY KEY (subject, client_id)
);
CREATE INDEX ${prefix}consent_client_idx ON ${schema}${prefix}consent (client_id);

-- Signing keys (private JWKs), shared by every node.
CREATE TABLE ${schema}${prefix}signing_key (
    key_id       text        NOT NULL PRIMARY KEY,
    jwk_json     text        NOT NULL,
    created_at   timestamptz NOT NULL,
    activates_at timestamptz NOT NULL,
    retires_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
