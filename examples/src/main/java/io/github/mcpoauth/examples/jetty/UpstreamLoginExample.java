package io.github.mcpoauth.examples.jetty;

import io.github.mcpoauth.servlet.login.OpenIdLogin;
import io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The example's "sign in with" an OpenID provider (mcp-oauth's {@link OpenIdLogin}), next to the demo users: the
 * demo login page offers a link to the provider, and either way of signing in leads to consent.
 *
 * <p>Configured from the environment when {@code OIDC_DISCOVERY_URL} is set: {@code OIDC_CLIENT_ID},
 * {@code OIDC_CLIENT_SECRET} (required then), {@code OIDC_NAME} (the link's label, default "OpenID provider"),
 * {@code OIDC_SUBJECT_CLAIM} (default {@code sub}; {@code email} is common), {@code OIDC_ALLOWED_DOMAINS}
 * (comma-separated, default any). Register {@code <ISSUER>/oauth2/login/callback} as the redirect URI at the provider.
 *
 * @param name the provider's label on the login page
 * @param discovery the provider's {@code /.well-known/openid-configuration} URL
 * @param clientId the example's client id at the provider
 * @param clientSecret its client secret
 * @param subjectClaim the ID token claim that becomes the user
 * @param allowedDomains e-mail domains allowed in (empty: any)
 */
public record UpstreamLoginExample(String name, URI discovery, String clientId, String clientSecret,
        String subjectClaim, String... allowedDomains) {

    /** Where the sign-in is served, under the issuer. */
    public static final String LOGIN_PATH = "/oauth2/login";
    private static final String PROVIDER_ID = "upstream";

    public UpstreamLoginExample {
        Objects.requireNonNull(name, "OIDC_NAME");
        Objects.requireNonNull(discovery, "OIDC_DISCOVERY_URL");
        Objects.requireNonNull(clientId, "OIDC_CLIENT_ID");
        Objects.requireNonNull(clientSecret, "OIDC_CLIENT_SECRET");
        Objects.requireNonNull(subjectClaim, "OIDC_SUBJECT_CLAIM");
    }

    /** The provider the {@code OIDC_*} variables describe, if {@code OIDC_DISCOVERY_URL} is set. */
    static Optional<UpstreamLoginExample> fromEnvironment(Map<String, String> env) {
        String discovery = blankToNull(env.get("OIDC_DISCOVERY_URL"));
        if (discovery == null) {
            return Optional.empty();
        }
        String clientId = blankToNull(env.get("OIDC_CLIENT_ID"));
        String secret = blankToNull(env.get("OIDC_CLIENT_SECRET"));
        if (clientId == null || secret == null) {
            throw new IllegalArgumentException("OIDC_DISCOVERY_URL needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET");
        }
        String domains = blankToNull(env.get("OIDC_ALLOWED_DOMAINS"));
        return Optional.of(new UpstreamLoginExample(
                Optional.ofNullable(blankToNull(env.get("OIDC_NAME"))).orElse("OpenID provider"),
                URI.create(discovery.trim()), clientId.trim(), secret,
                Optional.ofNullable(blankToNull(env.get("OIDC_SUBJECT_CLAIM"))).orElse("sub"),
                domains == null ? new String[0] : Arrays.stream(domains.split(",")).map(String::trim)
                        .filter(d -> !d.isEmpty()).toArray(String[]::new)));
    }

    /** Installs mcp-oauth (on {@code database}, or in memory) with the demo users and this provider. */
    public AuthorizationInstaller installer(ExampleConfig.Database database) {
        return (ctx, issuer) -> {
            OpenIdLogin.Provider.Builder provider = OpenIdLogin.Provider.builder(PROVIDER_ID).displayName(name)
                    .discovery(discovery).clientId(clientId).clientSecret(clientSecret).subjectClaim(subjectClaim);
            if (allowedDomains.length > 0) {
                provider.allowedDomains(allowedDomains);
            }
            OpenIdLogin upstream = OpenIdLogin.builder(URI.create(issuer + LOGIN_PATH)).provider(provider.build())
                    .build();
            ctx.addServlet(new ServletHolder("upstream-login", upstream.servlet()), LOGIN_PATH + "/*");
            ctx.setAttribute(DemoLoginServlet.SIGN_IN_WITH,
                    Map.of(name, ctx.getContextPath().replaceAll("/$", "") + LOGIN_PATH + "/start?provider="
                            + PROVIDER_ID));
            ResourceOwnerAuthenticator demo = ResourceOwnerAuthenticator.sessionAttribute(
                    DemoLoginServlet.SESSION_USER, ExampleServer.LOGIN_PATH);
            ExampleServer.installAuthorization(ctx, issuer, database, new ResourceOwnerAuthenticator() {
                @Override
                public Optional<String> signedIn(HttpServletRequest request) {
                    return demo.signedIn(request).or(() -> upstream.signedIn(request));
                }

                @Override
                public Optional<String> authenticate(HttpServletRequest request, HttpServletResponse response,
                        String returnTo) throws IOException {
                    Optional<String> subject = upstream.signedIn(request);
                    // not signed in: the demo login page, which offers "sign in with <name>" too
                    return subject.isPresent() ? subject : demo.authenticate(request, response, returnTo);
                }
            });
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
