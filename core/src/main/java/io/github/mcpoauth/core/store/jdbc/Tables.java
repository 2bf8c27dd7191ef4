package io.github.mcpoauth.core.store.jdbc;

import java.util.Optional;
import java.util.regex.Pattern;

/** The qualified table names for one schema and table prefix, and the script placeholders that produce them. */
final class Tables {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern PREFIX = Pattern.compile("([a-z_][a-z0-9_]{0,29})?");

    final Optional<String> schema;
    final String prefix;
    final String client;
    final String code;
    final String grant;
    final String refreshToken;
    final String consent;
    final String signingKey;
    final String schemaVersion;
    final String grantRevocation;

    Tables(Optional<String> schema, String prefix) {
        this.schema = schema;
        this.prefix = prefix;
        this.client = qualified("client");
        this.code = qualified("authorization_code");
        this.grant = qualified("authorization_grant");
        this.refreshToken = qualified("refresh_token");
        this.consent = qualified("consent");
        this.signingKey = qualified("signing_key");
        this.schemaVersion = qualified("schema_version");
        this.grantRevocation = qualified("grant_revocation");
    }

    /** {@code name} with the prefix, qualified by the schema if there is one. */
    String qualified(String name) {
        return schema.map(s -> s + ".").orElse("") + prefix + name;
    }

    /** Replaces the {@code ${schema}} and {@code ${prefix}} placeholders of a schema script. */
    String substitute(String script) {
        return script.replace("${schema}", schema.map(s -> s + ".").orElse("")).replace("${prefix}", prefix);
    }

    static String checkSchema(String schema) {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must match " + SCHEMA + " (lower case, unquoted): '"
                    + schema + "'");
        }
        return schema;
    }

    static String checkPrefix(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("tablePrefix must match " + PREFIX
                    + " (lower case, unquoted, at most 30 characters): '" + prefix + "'");
        }
        return prefix;
    }

    @Override
    public String toString() {
        return qualified("*");
    }
}
