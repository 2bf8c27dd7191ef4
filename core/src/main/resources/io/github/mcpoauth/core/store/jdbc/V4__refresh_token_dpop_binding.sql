-- DPoP-bound refresh tokens, issue 12: the JWK SHA-256 thumbprint of the key a public client's refresh tokens are
-- bound to (RFC 9449 §5); NULL when they are not bound (confidential clients, or no DPoP proof).
ALTER TABLE ${schema}${prefix}authorization_grant
    ADD COLUMN refresh_token_jkt text;
