package io.github.mcpoauth.examples.jetty;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Settings of the example server.
 *
 * @param port                   TCP port to listen on; {@code 0} picks a free port (tests)
 * @param bindHost               interface to bind, or {@code null} for all interfaces
 * @param issuer                 public base URL of the server (the OAuth issuer and the base of {@code /mcp}),
 *                               or {@code null} to derive {@code http://<bindHost or localhost>:<actual port>}
 *                               once the port is bound
 * @param database               the PostgreSQL database mcp-oauth keeps its state in, or {@code null} for memory
 *                               (nothing survives a restart); used by the default authorization installer
 * @param authorizationInstaller hook that protects the MCP endpoint; {@link ExampleServer#installAuthorization}
 *                               (on {@code database}) by default, replaceable by tests
 */
public record ExampleConfig(int port, String bindHost, URI issuer, Database database,
        AuthorizationInstaller authorizationInstaller) {

    public static final int DEFAULT_PORT = 8080;

    /** The most seconds {@code WARM_UP_SECONDS} may ask for. */
    static final int MAX_WARM_UP_SECONDS = 600;

    public ExampleConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (issuer != null) {
            issuer = normalizeIssuer(issuer);
        }
        Objects.requireNonNull(authorizationInstaller, "authorizationInstaller");
    }

    /**
     * A PostgreSQL database for mcp-oauth's stores (clients, codes, grants, consents, signing keys), its tables
     * created or upgraded at start.
     *
     * @param jdbcUrl  e.g. {@code jdbc:postgresql://db.internal:5432/app}
     * @param user     the user, or {@code null} for the URL's (or the driver's default)
     * @param password the password, or {@code null} for the URL's (or none)
     */
    public record Database(String jdbcUrl, String user, String password) {

        public Database {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (org.postgresql.Driver.parseURL(jdbcUrl, new Properties()) == null) {
                throw new IllegalArgumentException("JDBC_URL must be a PostgreSQL JDBC URL "
                        + "(jdbc:postgresql://host:port/database): " + withoutQuery(jdbcUrl));
            }
        }

        /** Host, port and database, without the URL's parameters (which may hold a password). */
        @Override
        public String toString() {
            return withoutQuery(jdbcUrl) + (user != null ? " as " + user : "");
        }

        private static String withoutQuery(String url) {
            int q = url.indexOf('?');
            return q < 0 ? url : url.substring(0, q) + "?…";
        }
    }

    /**
     * Reads {@code PORT} (default 8080), {@code ISSUER} (default {@code http://localhost:PORT}), {@code BIND_HOST},
     * and {@code JDBC_URL} with optional {@code JDBC_USER} and {@code JDBC_PASSWORD} (default: in-memory stores);
     * {@code OIDC_*} offer "sign in with" an OpenID provider ({@link UpstreamLoginExample}).
     */
    public static ExampleConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static ExampleConfig fromEnvironment(Map<String, String> env) {
        int port = intFromEnvironment(env, "PORT", DEFAULT_PORT, 0, 65_535);
        String issuerValue = blankToNull(env.get("ISSUER"));
        URI issuer = issuerValue != null ? URI.create(issuerValue.trim()) : null;
        Database database = databaseFromEnvironment(env);
        return new ExampleConfig(port, blankToNull(env.get("BIND_HOST")), issuer, database,
                UpstreamLoginExample.fromEnvironment(env).map(u -> u.installer(database))
                        .orElse(ExampleServer.authorization(database)));
    }

    /**
     * {@code WARM_UP_SECONDS} (0 to {@value #MAX_WARM_UP_SECONDS}; unset or 0: no warm-up), how long
     * {@link ExampleServer#main} warms up on twins ({@link WarmStart}) before its port opens.
     *
     * @throws IllegalArgumentException naming the variable if it is not a number in range
     */
    static java.time.Duration warmUpFromEnvironment(Map<String, String> env) {
        return java.time.Duration.ofSeconds(intFromEnvironment(env, "WARM_UP_SECONDS", 0, 0, MAX_WARM_UP_SECONDS));
    }

    /**
     * The whole number in the variable {@code name}, {@code fallback} if it is unset or blank.
     *
     * @throws IllegalArgumentException naming the variable if it is not a number from {@code min} to {@code max}
     */
    private static int intFromEnvironment(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + value, e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ": " + n);
        }
        return n;
    }

    private static Database databaseFromEnvironment(Map<String, String> env) {
        String url = blankToNull(env.get("JDBC_URL"));
        String user = blankToNull(env.get("JDBC_USER"));
        String password = env.get("JDBC_PASSWORD");
        if (url == null) {
            if (user != null || password != null) {
                throw new IllegalArgumentException("JDBC_USER and JDBC_PASSWORD need JDBC_URL");
            }
            return null;
        }
        return new Database(url.trim(), user != null ? user.trim() : null, password);
    }

    /** Loopback only, free port, issuer derived from the bound port, in-memory stores: what in-process tests want. */
    public static ExampleConfig ephemeral() {
        return new ExampleConfig(0, "127.0.0.1", null, null, ExampleServer::installAuthorization);
    }

    public ExampleConfig withAuthorizationInstaller(AuthorizationInstaller installer) {
        return new ExampleConfig(port, bindHost, issuer, database, installer);
    }

    public ExampleConfig withIssuer(URI newIssuer) {
        return new ExampleConfig(port, bindHost, newIssuer, database, authorizationInstaller);
    }

    /**
     * mcp-oauth with its state in {@code newDatabase} ({@code null}: in memory); replaces the authorization
     * installer with {@link ExampleServer#authorization(Database)}.
     */
    public ExampleConfig withDatabase(Database newDatabase) {
        return new ExampleConfig(port, bindHost, issuer, newDatabase, ExampleServer.authorization(newDatabase));
    }

    /** The issuer to use once the actual port is known. */
    URI effectiveIssuer(int actualPort) {
        if (issuer != null) {
            return issuer;
        }
        String host = bindHost == null || bindHost.isBlank() || "0.0.0.0".equals(bindHost) || "::".equals(bindHost)
                ? "localhost"
                : (bindHost.contains(":") ? "[" + bindHost + "]" : bindHost);
        return URI.create("http://" + host + ":" + actualPort);
    }

    private static URI normalizeIssuer(URI issuer) {
        if (!issuer.isAbsolute() || issuer.getHost() == null) {
            throw new IllegalArgumentException("ISSUER must be an absolute http(s) URL: " + issuer);
        }
        String scheme = issuer.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("ISSUER must use http or https: " + issuer);
        }
        if (issuer.getQuery() != null || issuer.getFragment() != null) {
            throw new IllegalArgumentException("ISSUER must not have a query or fragment: " + issuer);
        }
        String s = issuer.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
