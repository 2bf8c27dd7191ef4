package io.github.mcpoauth.servlet.internal.login;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.github.mcpoauth.core.error.OAuthException;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The relying-party side of one upstream OpenID provider (OpenID Connect Core 1.0, authorization code flow with
 * PKCE), built on Nimbus's OIDC client: the provider's metadata and keys (fetched lazily with timeouts and a size
 * limit, retried after a failure), the authentication request ({@code state}, {@code nonce}, S256 challenge), and the
 * callback: the {@code iss} response parameter (RFC 9207), the code exchange, the ID token ({@link IDTokenValidator}:
 * issuer, audience, {@code azp}, signature from the provider's JWKS, expiry, {@code nonce}), then the allowed domains
 * and groups. Thread-safe.
 *
 * <p>Every refusal is an {@link OAuthException} with a fixed description for the browser; the reason (never a token)
 * is logged at INFO.
 */
public final class UpstreamProvider {

    private static final System.Logger LOG = System.getLogger(UpstreamProvider.class.getName());
    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    /** The page says this for any ID token refused (bad signature, audience, issuer, expiry or nonce). */
    public static final String UNVERIFIED = "The identity provider's answer could not be verified. Start again.";

    private final UpstreamSettings settings;
    private final Object lock = new Object();
    private volatile Resolved resolved;

    private record Resolved(OIDCProviderMetadata metadata, IDTokenValidator validator) {
    }

    /** Who signed in: the subject, and the refresh token the provider issued, if any (for the app's hook only). */
    public record Outcome(String subject, Optional<RefreshToken> refreshToken) {
        @Override
        public String toString() {
            return "Outcome[" + subject + "]";
        }
    }

    public UpstreamProvider(UpstreamSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public UpstreamSettings settings() {
        return settings;
    }

    /** The URL to send the browser to for {@code pending}, with {@code callback} as the redirect URI. */
    public URI authenticationRequest(PendingLogin pending, URI callback) {
        OIDCProviderMetadata metadata = resolve().metadata();
        Scope scope = new Scope(settings.scopes().toArray(String[]::new));
        return new AuthenticationRequest.Builder(ResponseType.CODE, scope, new ClientID(settings.clientId()), callback)
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(new State(pending.state()))
                .nonce(new Nonce(pending.nonce()))
                .codeChallenge(new CodeVerifier(pending.codeVerifier()), CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    /**
     * Completes the sign-in {@code pending} from the provider's redirect to {@code callbackRequest} (the full URL
     * with its query), with {@code callback} the redirect URI the request was sent with.
     */
    public Outcome complete(URI callbackRequest, PendingLogin pending, URI callback) {
        Resolved r = resolve();
        AuthenticationResponse response;
        try {
            response = AuthenticationResponseParser.parse(callbackRequest);
        } catch (ParseException e) {
            throw refused("callback not understood: " + e.getMessage(), UNVERIFIED);
        }
        if (response.getState() == null || !pending.state().equals(response.getState().getValue())) {
            throw refused("state mismatch", "The sign-in is unknown or has expired. Start again.");
        }
        Issuer iss = response.getIssuer();
        if (iss != null ? !iss.equals(r.metadata().getIssuer())
                : r.metadata().supportsAuthorizationResponseIssuerParam()) {
            throw refused("iss response parameter " + (iss == null ? "missing" : "of another issuer"), UNVERIFIED);
        }
        if (response instanceof AuthenticationErrorResponse error) {
            throw new OAuthException(new ErrorObject("access_denied",
                    "The identity provider did not sign you in (" + safeCode(error.getErrorObject()) + ").", 403));
        }
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
        if (code == null) {
            throw refused("no code in the callback", UNVERIFIED);
        }
        OIDCTokenResponse tokens = redeem(r.metadata(), code, pending, callback);
        JWT idToken = tokens.getOIDCTokens().getIDToken();
        IDTokenClaimsSet claims;
        try {
            claims = r.validator().validate(idToken, new Nonce(pending.nonce()));
        } catch (BadJOSEException | JOSEException e) {
            throw refused("ID token refused: " + e.getMessage(), UNVERIFIED);
        }
        String subject = subject(claims);
        return new Outcome(subject, Optional.ofNullable(tokens.getOIDCTokens().getRefreshToken()));
    }

    private OIDCTokenResponse redeem(OIDCProviderMetadata metadata, AuthorizationCode code, PendingLogin pending,
            URI callback) {
        URI endpoint = metadata.getTokenEndpointURI();
        TokenRequest request = new TokenRequest(endpoint, clientAuthentication(endpoint),
                new AuthorizationCodeGrant(code, callback, new CodeVerifier(pending.codeVerifier())));
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout((int) settings.timeout().toMillis());
        http.setReadTimeout((int) settings.timeout().toMillis());
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "upstream {0}: token endpoint unreachable: {1}", settings.id(),
                    e.getClass().getName());
            throw unreachable();
        } catch (ParseException e) {
            throw refused("token response not understood", UNVERIFIED);
        }
        if (!response.indicatesSuccess()) {
            throw refused("token endpoint refused the code: "
                    + safeCode(response.toErrorResponse().getErrorObject()), UNVERIFIED);
        }
        if (!(response.toSuccessResponse() instanceof OIDCTokenResponse oidc)
                || oidc.getOIDCTokens().getIDToken() == null) {
            throw refused("token response without an ID token", UNVERIFIED);
        }
        return oidc;
    }

    private ClientAuthentication clientAuthentication(URI tokenEndpoint) {
        ClientID clientId = new ClientID(settings.clientId());
        if (settings.clientSecret().isPresent()) {
            return new ClientSecretBasic(clientId, new Secret(settings.clientSecret().get()));
        }
        JWK key = settings.signingKey().orElseThrow();
        try {
            JWSAlgorithm alg = key.getAlgorithm() instanceof JWSAlgorithm a ? a
                    : key.getKeyType().getValue().equals("EC") ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
            return new PrivateKeyJWT(clientId, tokenEndpoint, alg,
                    key.getKeyType().getValue().equals("EC") ? key.toECKey().toPrivateKey()
                            : key.toRSAKey().toPrivateKey(), key.getKeyID(), null);
        } catch (JOSEException e) {
            throw OAuthException.serverError("The sign-in key cannot sign");
        }
    }

    /** The configured claim, after the domain and group checks. */
    private String subject(IDTokenClaimsSet claims) {
        if (!settings.allowedDomains().isEmpty()) {
            String email = claims.getStringClaim("email");
            Boolean verified = claims.getBooleanClaim("email_verified");
            String hd = claims.getStringClaim("hd");
            String domain = email == null || Boolean.FALSE.equals(verified) || email.indexOf('@') < 0 ? null
                    : email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            boolean allowed = domain != null && settings.allowedDomains().contains(domain)
                    || hd != null && settings.allowedDomains().contains(hd.toLowerCase(Locale.ROOT));
            if (!allowed) {
                throw notAllowed("domain not allowed");
            }
        }
        if (!settings.allowedGroups().isEmpty()) {
            List<String> groups;
            try {
                groups = claims.getStringListClaim(settings.groupsClaim());
            } catch (RuntimeException e) {
                groups = null;
            }
            if (groups == null || groups.stream().noneMatch(settings.allowedGroups()::contains)) {
                throw notAllowed("not in an allowed group");
            }
        }
        if ("email".equals(settings.subjectClaim())
                && Boolean.FALSE.equals(claims.getBooleanClaim("email_verified"))) {
            // an address the provider says it has not verified must not become someone's identity here
            throw notAllowed("e-mail address as subject not verified");
        }
        Object value = claims.getClaim(settings.subjectClaim());
        if (!(value instanceof String s) || s.isBlank()) {
            throw refused("ID token without a " + settings.subjectClaim() + " claim", UNVERIFIED);
        }
        return s;
    }

    private Resolved resolve() {
        Resolved r = resolved;
        if (r != null) {
            return r;
        }
        synchronized (lock) {
            if (resolved == null) {
                resolved = fetch();
            }
            return resolved;
        }
    }

    private Resolved fetch() {
        int ms = (int) settings.timeout().toMillis();
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(ms, ms, settings.maxDocumentBytes());
        OIDCProviderMetadata metadata;
        try {
            Resource document = retriever.retrieveResource(settings.discovery().toURL());
            metadata = OIDCProviderMetadata.parse(document.getContent());
        } catch (IOException | ParseException e) {
            // the provider's public document: its error message names the URL or the parse error, no secret
            LOG.log(System.Logger.Level.WARNING, "upstream {0}: discovery failed: {1}: {2}", settings.id(),
                    e.getClass().getName(), e.getMessage());
            throw unreachable();
        }
        if (!metadata.getIssuer().getValue().equals(settings.issuer().toString())) {
            // OpenID Connect Discovery 1.0 §4.3: the issuer must be the discovery URL's prefix, exactly
            LOG.log(System.Logger.Level.WARNING, "upstream {0}: discovery names issuer {1}, expected {2}",
                    settings.id(), metadata.getIssuer(), settings.issuer());
            throw unreachable();
        }
        if (metadata.getJWKSetURI() == null || metadata.getAuthorizationEndpointURI() == null
                || metadata.getTokenEndpointURI() == null) {
            LOG.log(System.Logger.Level.WARNING, "upstream {0}: discovery lacks an endpoint", settings.id());
            throw unreachable();
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        if (metadata.getIDTokenJWSAlgs() != null) {
            metadata.getIDTokenJWSAlgs().stream().filter(ASYMMETRIC::contains).forEach(algorithms::add);
        }
        if (algorithms.isEmpty()) {
            algorithms.add(JWSAlgorithm.RS256);
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(), retriever)
                    .retrying(false).build();
        } catch (IOException e) {
            throw unreachable();
        }
        IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), new ClientID(settings.clientId()),
                new JWSVerificationKeySelector<>(algorithms, keys), null);
        validator.setMaxClockSkew(60);
        return new Resolved(metadata, validator);
    }

    private OAuthException refused(String reason, String description) {
        LOG.log(System.Logger.Level.INFO, "upstream {0}: sign-in refused: {1}", settings.id(), reason);
        return new OAuthException(new ErrorObject("invalid_request", description, 400));
    }

    private OAuthException notAllowed(String reason) {
        LOG.log(System.Logger.Level.INFO, "upstream {0}: sign-in refused: {1}", settings.id(), reason);
        return new OAuthException(new ErrorObject("access_denied",
                "Your account is not allowed to sign in here.", 403));
    }

    private static OAuthException unreachable() {
        return new OAuthException(new ErrorObject("temporarily_unavailable",
                "The identity provider cannot be reached right now. Try again later.", 502));
    }

    /** An error code from the provider, reduced to the characters an error code may have (RFC 6749 §5.2). */
    private static String safeCode(ErrorObject error) {
        String code = error == null || error.getCode() == null ? "error"
                : error.getCode().replaceAll("[^A-Za-z0-9_.-]", "");
        return code.substring(0, Math.min(40, code.length()));
    }
}
