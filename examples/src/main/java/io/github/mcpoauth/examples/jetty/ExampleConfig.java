package io.github.mcpoauth.examples.jetty;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the example server.
 *
 * @param port                   TCP port to listen on; {@code 0} picks a free port (tests)
 * @param bindHost               interface to bind, or {@code null} for all interfaces
 * @param issuer                 public base URL of the server (the OAuth issuer and the base of {@code /mcp}),
 *                               or {@code null} to derive {@code http://<bindHost or localhost>:<actual port>}
 *                               once the port is bound
 * @param authorizationInstaller hook that protects the MCP endpoint; {@link ExampleServer#installAuthorization}
 *                               by default, replaceable by tests
 */
public record ExampleConfig(int port, String bindHost, URI issuer, AuthorizationInstaller authorizationInstaller) {

    public static final int DEFAULT_PORT = 8080;

    public ExampleConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (issuer != null) {
            issuer = normalizeIssuer(issuer);
        }
        Objects.requireNonNull(authorizationInstaller, "authorizationInstaller");
    }

    /** Reads {@code PORT} (default 8080), {@code ISSUER} (default {@code http://localhost:PORT}) and {@code BIND_HOST}. */
    public static ExampleConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static ExampleConfig fromEnvironment(Map<String, String> env) {
        int port = DEFAULT_PORT;
        String portValue = blankToNull(env.get("PORT"));
        if (portValue != null) {
            try {
                port = Integer.parseInt(portValue.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("PORT is not a number: " + portValue, e);
            }
        }
        String issuerValue = blankToNull(env.get("ISSUER"));
        URI issuer = issuerValue != null ? URI.create(issuerValue.trim()) : null;
        return new ExampleConfig(port, blankToNull(env.get("BIND_HOST")), issuer, ExampleServer::installAuthorization);
    }

    /** Loopback only, free port, issuer derived from the bound port: what in-process tests want. */
    public static ExampleConfig ephemeral() {
        return new ExampleConfig(0, "127.0.0.1", null, ExampleServer::installAuthorization);
    }

    public ExampleConfig withAuthorizationInstaller(AuthorizationInstaller installer) {
        return new ExampleConfig(port, bindHost, issuer, installer);
    }

    public ExampleConfig withIssuer(URI newIssuer) {
        return new ExampleConfig(port, bindHost, newIssuer, authorizationInstaller);
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
