-- Connected apps, issue 10: a resource owner's grants, newest first (GrantStore.findBySubject).
CREATE INDEX ${prefix}grant_subject_idx ON ${schema}${prefix}authorization_grant (subject, created_at);
