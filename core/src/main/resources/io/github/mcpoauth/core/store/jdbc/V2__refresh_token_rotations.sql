-- Refresh token history, issue 14: each rotated-out hash records the hash that replaced it and when (for the
-- optional reuse interval), and a sequence orders the history so that it can be trimmed to the newest rotations.
ALTER TABLE ${schema}${prefix}refresh_token
    ADD COLUMN replaced_by text,
    ADD COLUMN replaced_at timestamptz,
    ADD COLUMN seq         bigserial;
