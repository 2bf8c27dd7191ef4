package io.github.mcpoauth.servlet.login;

import com.nimbusds.jose.jwk.JWK;
import io.github.mcpoauth.servlet.internal.login.LoginServlet;
import io.github.mcpoauth.servlet.internal.login.SessionSignIns;
import io.github.mcpoauth.servlet.internal.login.UpstreamProvider;
import io.github.mcpoauth.servlet.internal.login.UpstreamSettings;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A built-in {@link ResourceOwnerAuthenticator} that signs the user in at the company's OpenID provider (Google
 * Workspace, Entra ID, Okta, Keycloak, …) instead of a login page of the app's own: the OpenID Connect authorization
 * code flow with PKCE, {@code state} and {@code nonce}, the ID token validated by Nimbus (issuer, audience,
 * {@code azp}, signature from the provider's JWKS, expiry, nonce), the {@code iss} response parameter checked
 * (RFC 9207), optional allowed e-mail domains and groups. With several providers the user picks one on a chooser
 * page. After the provider's callback the pending MCP authorization request resumes where it left off.
 *
 * <pre>{@code
 * OpenIdLogin login = OpenIdLogin.builder(URI.create("https://mcp.example.com/oauth2/login"))
 *     .provider(OpenIdLogin.Provider.builder("google")
 *         .displayName("Google")
 *         .discovery(URI.create("https://accounts.google.com/.well-known/openid-configuration"))
 *         .clientId(System.getenv("GOOGLE_CLIENT_ID"))
 *         .clientSecret(System.getenv("GOOGLE_CLIENT_SECRET"))
 *         .subjectClaim("email")
 *         .allowedDomains("example.com")
 *         .build())
 *     .build();
 * McpOAuth.builder().authenticator(login)...;
 * login.install(servletContext);   // the chooser, start and callback: register <base>/callback at the provider
 * }</pre>
 *
 * <p>The provider's tokens stay here: the ID token is read once and dropped; a refresh token, if the provider issues
 * one, goes only to the {@link UpstreamTokens} hook, never to an MCP client (no token passthrough). The signed-in
 * user is kept in the HTTP session (configure its cookie {@code HttpOnly}, {@code Secure}, {@code SameSite=Lax}).
 *
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth">OpenID Connect Core §3.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636">RFC 7636 (PKCE)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9207">RFC 9207 (iss)</a>
 */
public final class OpenIdLogin implements ResourceOwnerAuthenticator {

    private final URI base;
    private final Map<String, UpstreamProvider> providers;
    private final SessionSignIns signIns;
    private final Clock clock;

    private OpenIdLogin(Builder b) {
        this.base = b.base;
        Map<String, UpstreamProvider> map = new LinkedHashMap<>();
        b.providers.forEach(p -> map.put(p.settings.id(), new UpstreamProvider(p.settings)));
        this.providers = Collections.unmodifiableMap(map);
        this.clock = b.clock;
        this.signIns = new SessionSignIns(base, map, clock, b.signInLifetime, b.upstreamTokens);
    }

    /**
     * A builder for sign-in served at {@code baseUrl} (absolute, e.g. {@code https://mcp.example.com/oauth2/login},
     * inside this app); the redirect URI to register at every provider is {@code baseUrl + "/callback"}.
     */
    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /** The redirect URI to register at the providers. */
    public URI callbackUri() {
        return signIns.callback();
    }

    /** The signed-in user's subject, if a provider signed them in within the sign-in lifetime. */
    @Override
    public Optional<String> signedIn(HttpServletRequest request) {
        return signIns.signedIn(request);
    }

    /**
     * The signed-in subject, or a redirect to the provider (one provider) or the chooser page (several), which
     * brings the browser back to {@code returnTo} after sign-in.
     */
    @Override
    public Optional<String> authenticate(HttpServletRequest request, HttpServletResponse response, String returnTo)
            throws IOException {
        Optional<String> subject = signedIn(request);
        if (subject.isPresent()) {
            return subject;
        }
        String back = URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
        String path = base.getRawPath();
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(providers.size() == 1
                ? path + "/start?provider=" + providers.keySet().iterator().next() + "&return=" + back
                : path + "?return=" + back);
        return Optional.empty();
    }

    /** The servlet serving the chooser, start and callback steps; map it at the base path and below. */
    public HttpServlet servlet() {
        return new LoginServlet(signIns, clock);
    }

    /**
     * Registers {@link #servlet()} on {@code context} at the base URL's path (relative to the context path);
     * call during startup.
     */
    public void install(ServletContext context) {
        String path = base.getRawPath();
        String contextPath = context.getContextPath();
        if (!contextPath.isEmpty()) {
            if (!path.startsWith(contextPath + "/")) {
                throw new IllegalStateException("the sign-in base " + base + " is outside the context "
                        + contextPath);
            }
            path = path.substring(contextPath.length());
        }
        ServletRegistration.Dynamic r = context.addServlet("mcp-oauth-openid-login" + path.replace('/', '-'),
                servlet());
        r.addMapping(path, path + "/*");
    }

    @Override
    public String toString() {
        return "OpenIdLogin[" + base + ", " + providers.keySet() + "]";
    }

    /**
     * The app's hook for the provider's refresh token, for the app's own calls to the provider's APIs on the user's
     * behalf. Never handed to an MCP client; a hook that throws is logged (by exception class) and ignored.
     */
    @FunctionalInterface
    public interface UpstreamTokens {
        /** Called after a sign-in at {@code provider} that returned {@code refreshToken} for {@code subject}. */
        void refreshToken(String provider, String subject, String refreshToken);
    }

    /** Builds {@link OpenIdLogin}; fails fast naming the bad field. */
    public static final class Builder {
        private final URI base;
        private final List<Provider> providers = new ArrayList<>();
        private UpstreamTokens upstreamTokens;
        private Clock clock = Clock.systemUTC();
        private Duration signInLifetime = Duration.ofHours(8);

        private Builder(URI baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            if (!baseUrl.isAbsolute() || baseUrl.getRawPath() == null || !baseUrl.getRawPath().startsWith("/")
                    || baseUrl.getRawPath().endsWith("/") || baseUrl.getRawQuery() != null
                    || baseUrl.getRawFragment() != null) {
                throw new IllegalArgumentException("baseUrl must be an absolute URL with a path, no trailing "
                        + "slash, query or fragment, was " + baseUrl);
            }
            this.base = baseUrl;
        }

        /** Adds a provider; with several, the user chooses (in this order). */
        public Builder provider(Provider provider) {
            Objects.requireNonNull(provider, "provider");
            if (providers.stream().anyMatch(p -> p.settings.id().equals(provider.settings.id()))) {
                throw new IllegalArgumentException("provider: id " + provider.settings.id() + " is taken");
            }
            providers.add(provider);
            return this;
        }

        /** The hook that receives the providers' refresh tokens (default none: they are dropped). */
        public Builder upstreamTokens(UpstreamTokens upstreamTokens) {
            this.upstreamTokens = Objects.requireNonNull(upstreamTokens, "upstreamTokens");
            return this;
        }

        /** The clock (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a sign-in counts for authorization requests, 1 minute to 30 days (default 8 hours). */
        public Builder signInLifetime(Duration lifetime) {
            Objects.requireNonNull(lifetime, "signInLifetime");
            if (lifetime.compareTo(Duration.ofMinutes(1)) < 0 || lifetime.compareTo(Duration.ofDays(30)) > 0) {
                throw new IllegalArgumentException("signInLifetime must be 1 minute to 30 days, was " + lifetime);
            }
            this.signInLifetime = lifetime;
            return this;
        }

        /** Builds; at least one provider is required. */
        public OpenIdLogin build() {
            if (providers.isEmpty()) {
                throw new IllegalStateException("provider: at least one is required");
            }
            return new OpenIdLogin(this);
        }
    }

    /** One upstream OpenID provider and this app's registration there. Build with {@link #builder(String)}. */
    public static final class Provider {
        private final UpstreamSettings settings;

        private Provider(UpstreamSettings settings) {
            this.settings = settings;
        }

        /** A builder for the provider known here as {@code id} (1 to 32 of {@code a-z 0-9 -}). */
        public static Builder builder(String id) {
            return new Builder(id);
        }

        /** The provider's id. */
        public String id() {
            return settings.id();
        }

        @Override
        public String toString() {
            return "Provider[" + settings.id() + ", " + settings.issuer() + "]";
        }

        /** Builds a {@link Provider}; discovery URL, client id and one client credential are required. */
        public static final class Builder {
            private static final String WELL_KNOWN = "/.well-known/openid-configuration";
            private final String id;
            private String displayName;
            private URI discovery;
            private String clientId;
            private String clientSecret;
            private JWK signingKey;
            private final Set<String> scopes = new LinkedHashSet<>(List.of("openid", "email", "profile"));
            private String subjectClaim = "sub";
            private Set<String> allowedDomains = Set.of();
            private String groupsClaim = "groups";
            private Set<String> allowedGroups = Set.of();
            private Duration timeout = Duration.ofSeconds(5);
            private int maxDocumentBytes = 256 * 1024;

            private Builder(String id) {
                if (id == null || !id.matches("[a-z0-9-]{1,32}")) {
                    throw new IllegalArgumentException("id must be 1 to 32 of a-z 0-9 -, was " + id);
                }
                this.id = id;
            }

            /** The name on the chooser page (default the id). */
            public Builder displayName(String displayName) {
                this.displayName = requireText(displayName, "displayName");
                return this;
            }

            /**
             * The provider's discovery URL, ending in {@code /.well-known/openid-configuration}; https, or http on a
             * loopback host. The document must name the URL's prefix as its issuer (OpenID Discovery §4.3).
             */
            public Builder discovery(URI discovery) {
                Objects.requireNonNull(discovery, "discovery");
                String s = discovery.toString();
                boolean loopback = "http".equals(discovery.getScheme())
                        && ("localhost".equals(discovery.getHost()) || "127.0.0.1".equals(discovery.getHost()));
                if (!s.endsWith(WELL_KNOWN) || !("https".equals(discovery.getScheme()) || loopback)
                        || discovery.getRawQuery() != null || discovery.getRawFragment() != null) {
                    throw new IllegalArgumentException("discovery must be an https URL ending in " + WELL_KNOWN
                            + ", was " + discovery);
                }
                this.discovery = discovery;
                return this;
            }

            /** This app's client id at the provider. */
            public Builder clientId(String clientId) {
                this.clientId = requireText(clientId, "clientId");
                return this;
            }

            /** Authenticate with this client secret ({@code client_secret_basic}). */
            public Builder clientSecret(String clientSecret) {
                this.clientSecret = requireText(clientSecret, "clientSecret");
                return this;
            }

            /** Authenticate with {@code private_key_jwt} (RFC 7523), signing with this private RSA or EC key. */
            public Builder privateKeyJwt(JWK privateKey) {
                Objects.requireNonNull(privateKey, "privateKeyJwt");
                if (!privateKey.isPrivate() || !Set.of("RSA", "EC").contains(privateKey.getKeyType().getValue())) {
                    throw new IllegalArgumentException("privateKeyJwt must be a private RSA or EC key");
                }
                this.signingKey = privateKey;
                return this;
            }

            /** The scopes to ask for (default {@code openid email profile}); {@code openid} is always asked. */
            public Builder scopes(String... scopes) {
                this.scopes.clear();
                this.scopes.add("openid");
                for (String s : scopes) {
                    this.scopes.add(requireText(s, "scopes"));
                }
                return this;
            }

            /** The ID token claim that becomes the user's subject (default {@code sub}; {@code email} is common). */
            public Builder subjectClaim(String claim) {
                this.subjectClaim = requireText(claim, "subjectClaim");
                return this;
            }

            /** Only users whose verified {@code email} (or {@code hd}) is in one of these domains (default any). */
            public Builder allowedDomains(String... domains) {
                Set<String> set = new LinkedHashSet<>();
                for (String d : domains) {
                    set.add(requireText(d, "allowedDomains").toLowerCase(Locale.ROOT));
                }
                this.allowedDomains = set;
                return this;
            }

            /** Only users in one of these groups of the {@code claim} (e.g. {@code groups}) (default any). */
            public Builder allowedGroups(String claim, String... groups) {
                this.groupsClaim = requireText(claim, "allowedGroups claim");
                Set<String> set = new LinkedHashSet<>();
                for (String g : groups) {
                    set.add(requireText(g, "allowedGroups"));
                }
                this.allowedGroups = set;
                return this;
            }

            /** The connect and read timeout of every request to the provider, 1 to 60 seconds (default 5). */
            public Builder timeout(Duration timeout) {
                Objects.requireNonNull(timeout, "timeout");
                if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
                    throw new IllegalArgumentException("timeout must be 1 to 60 seconds, was " + timeout);
                }
                this.timeout = timeout;
                return this;
            }

            /** Builds; fails naming the missing field. */
            public Provider build() {
                if (discovery == null) {
                    throw new IllegalStateException("discovery is required");
                }
                if (clientId == null) {
                    throw new IllegalStateException("clientId is required");
                }
                if ((clientSecret == null) == (signingKey == null)) {
                    throw new IllegalStateException("clientSecret or privateKeyJwt is required (exactly one)");
                }
                String d = discovery.toString();
                URI issuer = URI.create(d.substring(0, d.length() - WELL_KNOWN.length()));
                return new Provider(new UpstreamSettings(id, displayName == null ? id : displayName, discovery,
                        issuer, clientId, Optional.ofNullable(clientSecret), Optional.ofNullable(signingKey),
                        List.copyOf(scopes), subjectClaim, allowedDomains, groupsClaim, allowedGroups, timeout,
                        maxDocumentBytes));
            }

            private static String requireText(String value, String field) {
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException(field + " must not be empty");
                }
                return value;
            }
        }
    }
}
