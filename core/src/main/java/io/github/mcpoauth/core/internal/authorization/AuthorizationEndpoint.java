package io.github.mcpoauth.core.internal.authorization;

import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import io.github.mcpoauth.core.internal.client.RedirectUris;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.error.Printable;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.Consent;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.Stores;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The authorization endpoint's decisions (RFC 6749 §4.1.1, OAuth 2.1 §4.1): validate the request, then, once the
 * host knows the resource owner, either issue a code (consent already given) or ask for consent, then act on the
 * owner's decision.
 *
 * <p>Order of checks: the client and its redirect URI first; until both are known good every error is a
 * {@link AuthorizationOutcome.LocalError}. After that every error goes back to the client as an error redirect
 * with {@code state} and {@code iss} (RFC 9207). PKCE S256 is required; {@code resource} (RFC 8707) must name a
 * resource this server protects. A parameter sent twice is an error; a parameter with an empty value counts as
 * absent; unknown parameters are ignored.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1">RFC 6749 §4.1.2.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9207">RFC 9207</a>
 */
public final class AuthorizationEndpoint {

    private static final int MAX_STATE = 2048;
    private static final Set<String> MULTI_VALUED = Set.of("resource");

    private final AuthorizationServerSettings settings;
    private final Stores stores;
    private final Secrets secrets;
    private final AuditListener audit;
    private final Issuer issuer;

    /** An endpoint over {@code stores}. */
    public AuthorizationEndpoint(AuthorizationServerSettings settings, Stores stores, Secrets secrets,
            AuditListener audit) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.stores = Objects.requireNonNull(stores, "stores");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.issuer = new Issuer(settings.issuer());
    }

    /**
     * Validates an authorization request given as its parameters (query string, or form body for POST).
     *
     * @return {@link AuthorizationOutcome.LoginRequired}, {@link AuthorizationOutcome.LocalError} or an error
     *     {@link AuthorizationOutcome.Redirect}
     */
    public AuthorizationOutcome validate(Map<String, List<String>> rawParameters) {
        Map<String, List<String>> params = nonEmpty(rawParameters);

        // 1. The client and its redirect URI: nothing may be redirected before both are known good.
        if (isDuplicated(params, "client_id") || isDuplicated(params, "redirect_uri")) {
            return localError(OAuth2Error.INVALID_REQUEST, "client_id or redirect_uri was sent more than once");
        }
        String clientIdValue = first(params, "client_id");
        if (clientIdValue == null) {
            return localError(OAuth2Error.INVALID_REQUEST, "The client_id parameter is missing");
        }
        // Nimbus refuses a blank identifier with an exception; no client has one.
        Optional<RegisteredClient> found = clientIdValue.length() > 512 || clientIdValue.isBlank() ? Optional.empty()
                : stores.clients().findById(new ClientID(clientIdValue));
        if (found.isEmpty()) {
            return localError(OAuth2Error.INVALID_CLIENT, "The client is not known to this server");
        }
        RegisteredClient client = found.get();
        String requestedRedirect = first(params, "redirect_uri");
        URI redirectUri;
        if (requestedRedirect == null) {
            if (client.redirectUris().size() != 1) {
                return localError(OAuth2Error.INVALID_REQUEST,
                        "redirect_uri is required: the client registered more than one");
            }
            redirectUri = client.redirectUris().get(0);
        } else {
            Optional<URI> matched = RedirectUris.match(client.redirectUris(), requestedRedirect);
            if (matched.isEmpty()) {
                return localError(OAuth2Error.INVALID_REQUEST,
                        "redirect_uri does not match any redirect URI registered for this client");
            }
            redirectUri = matched.get();
        }

        // 2. From here on, errors go back to the client.
        String stateValue = first(params, "state");
        // A blank state cannot be echoed (Nimbus refuses it), so it is refused like a too long one.
        boolean badState = stateValue != null && (isDuplicated(params, "state")
                || stateValue.length() > MAX_STATE || stateValue.isBlank());
        State state = stateValue == null || badState ? null : new State(stateValue);
        try {
            if (badState) {
                throw OAuthException.invalidRequest("state was sent more than once, is too long or is blank");
            }
            for (Map.Entry<String, List<String>> e : params.entrySet()) {
                if (e.getValue().size() > 1 && !MULTI_VALUED.contains(e.getKey())) {
                    throw OAuthException.invalidRequest("Parameter sent more than once: "
                            + Printable.ascii(e.getKey(), 64));
                }
            }
            if (params.containsKey("request")) {
                throw new OAuthException(OAuth2Error.REQUEST_NOT_SUPPORTED);
            }
            if (params.containsKey("request_uri")) {
                throw new OAuthException(OAuth2Error.REQUEST_URI_NOT_SUPPORTED);
            }
            String responseType = first(params, "response_type");
            if (responseType == null) {
                throw OAuthException.invalidRequest("The response_type parameter is missing");
            }
            if (!responseType.equals("code")) {
                throw OAuthException.of(OAuth2Error.UNSUPPORTED_RESPONSE_TYPE, "Only response_type=code is supported");
            }
            String responseMode = first(params, "response_mode");
            if (responseMode != null && !responseMode.equals("query")) {
                throw OAuthException.invalidRequest("Only response_mode=query is supported");
            }
            if (!client.grantTypes().contains(GrantType.AUTHORIZATION_CODE)) {
                throw OAuthException.of(OAuth2Error.UNAUTHORIZED_CLIENT,
                        "The client may not use the authorization code grant");
            }
            String method = first(params, "code_challenge_method");
            String challenge = first(params, "code_challenge");
            if (challenge == null) {
                throw OAuthException.invalidRequest("PKCE is required: code_challenge is missing");
            }
            if (method == null || !method.equals("S256")) {
                throw OAuthException.invalidRequest("PKCE code_challenge_method must be S256");
            }
            if (!Pkce.isWellFormedChallenge(challenge)) {
                throw OAuthException.invalidRequest("code_challenge must be 43 base64url characters");
            }
            Set<String> scopes = scopes(client, first(params, "scope"));
            List<URI> resources = resources(params.getOrDefault("resource", List.of()));

            return new AuthorizationOutcome.LoginRequired(new ValidatedAuthorization(client, redirectUri,
                    Optional.ofNullable(requestedRedirect).map(URI::create), Optional.ofNullable(stateValue), scopes,
                    resources, challenge, params));
        } catch (OAuthException e) {
            return errorRedirect(redirectUri, e.error(), state);
        }
    }

    /**
     * One browser step of an authorization request, decided in one call: the request is validated, then, with the
     * resource owner who is signed in (if any), the code is issued or consent asked for.
     *
     * @param rawParameters the query parameters
     * @param signedIn the resource owner signed in at the host, empty if none
     * @return {@link AuthorizationOutcome.LocalError}, an error {@link AuthorizationOutcome.Redirect},
     *     {@link AuthorizationOutcome.LoginRequired}, {@link AuthorizationOutcome.ConsentRequired} or the redirect
     *     with the code
     */
    public AuthorizationOutcome authorize(Map<String, List<String>> rawParameters, Optional<String> signedIn) {
        AuthorizationOutcome outcome = validate(rawParameters);
        if (outcome instanceof AuthorizationOutcome.LoginRequired valid && signedIn.isPresent()) {
            return authorize(valid.request(), signedIn.get());
        }
        return outcome;
    }

    /**
     * The consent form's step, decided in one call: the request the form carries is validated again, then the
     * signed-in resource owner's answer is acted on ({@link #decide(ValidatedAuthorization, String, boolean)}).
     */
    public AuthorizationOutcome decide(Map<String, List<String>> rawParameters, Optional<String> signedIn,
            boolean approved) {
        AuthorizationOutcome outcome = validate(rawParameters);
        if (outcome instanceof AuthorizationOutcome.LoginRequired valid && signedIn.isPresent()) {
            return decide(valid.request(), signedIn.get(), approved);
        }
        return outcome;
    }

    /**
     * Continues a valid request once the host has authenticated {@code subject}: issues the code if the subject
     * already consented to this client for these scopes and resources, else asks for consent.
     */
    public AuthorizationOutcome authorize(ValidatedAuthorization request, String subject) {
        Objects.requireNonNull(subject, "subject");
        Optional<Consent> consent = stores.consents().find(subject, request.client().clientId());
        if (consent.isPresent() && consent.get().covers(request.scopes(), Set.copyOf(request.resources()))) {
            return issueCode(request, subject);
        }
        return new AuthorizationOutcome.ConsentRequired(request, subject);
    }

    /**
     * Acts on the resource owner's answer on the consent page: remembers the consent and issues the code, or
     * sends {@code access_denied} back to the client.
     */
    public AuthorizationOutcome decide(ValidatedAuthorization request, String subject, boolean approved) {
        Objects.requireNonNull(subject, "subject");
        Instant now = settings.clock().instant();
        ClientID clientId = request.client().clientId();
        if (!approved) {
            audit.onEvent(new AuditEvent(AuditEvent.Type.CONSENT_DENIED, now, Optional.of(clientId.getValue()),
                    Optional.of(subject), Optional.empty(), "scope=" + String.join(" ", request.scopes())));
            return errorRedirect(request.redirectUri(),
                    OAuth2Error.ACCESS_DENIED.setDescription("The resource owner denied the request"),
                    request.state().map(State::new).orElse(null));
        }
        Set<String> scopes = new HashSet<>(request.scopes());
        Set<URI> resources = new HashSet<>(request.resources());
        stores.consents().find(subject, clientId).ifPresent(previous -> {
            scopes.addAll(previous.scopes());
            resources.addAll(previous.resources());
        });
        stores.consents().save(new Consent(subject, clientId, scopes, resources, now));
        audit.onEvent(new AuditEvent(AuditEvent.Type.CONSENT_GRANTED, now, Optional.of(clientId.getValue()),
                Optional.of(subject), Optional.empty(), "scope=" + String.join(" ", request.scopes())));
        return issueCode(request, subject);
    }

    private AuthorizationOutcome issueCode(ValidatedAuthorization request, String subject) {
        Instant now = settings.clock().instant();
        String code = secrets.newSecret();
        String grantId = secrets.newId(16);
        stores.codes().save(new AuthorizationCode(Secrets.hash(code), request.client().clientId(), subject,
                request.requestedRedirectUri(), request.scopes(), request.resources(), request.codeChallenge(),
                grantId, now, now.plus(settings.authorizationCodeLifetime()), false));
        audit.onEvent(new AuditEvent(AuditEvent.Type.CODE_ISSUED, now,
                Optional.of(request.client().clientId().getValue()), Optional.of(subject), Optional.of(grantId),
                "scope=" + String.join(" ", request.scopes())));
        URI location = new AuthorizationSuccessResponse(request.redirectUri(),
                new com.nimbusds.oauth2.sdk.AuthorizationCode(code), null,
                request.state().map(State::new).orElse(null), issuer, ResponseMode.QUERY).toURI();
        return new AuthorizationOutcome.Redirect(location, false);
    }

    private Set<String> scopes(RegisteredClient client, String scopeParam) {
        Set<String> allowed = client.scopes().isEmpty() ? settings.scopes() : client.scopes();
        if (scopeParam == null || scopeParam.isBlank()) {
            Set<String> defaults = new LinkedHashSet<>(settings.defaultScopes());
            defaults.retainAll(allowed);
            return defaults.isEmpty() ? allowed : defaults;
        }
        Set<String> requested = new LinkedHashSet<>();
        for (String s : scopeParam.split(" ")) {
            if (s.isEmpty() || s.equals("offline_access") && !allowed.contains(s)) {
                continue; // SEP-2207: offline_access, when not offered, is ignored, never invalid_scope
            }
            if (!allowed.contains(s)) {
                throw OAuthException.invalidScope("Scope not allowed for this client: " + Printable.ascii(s, 64));
            }
            requested.add(s);
        }
        if (requested.isEmpty()) {
            if (scopeParam.contains("offline_access")) {
                return scopes(client, null);
            }
            throw OAuthException.invalidScope("The scope parameter is malformed");
        }
        return requested;
    }

    private List<URI> resources(List<String> values) {
        if (values.isEmpty()) {
            return List.of(settings.resources().get(0));
        }
        List<URI> resources = new ArrayList<>();
        for (String v : values) {
            URI uri = parseResource(v);
            if (!resources.contains(uri)) {
                resources.add(uri);
            }
        }
        return resources;
    }

    /**
     * Parses and checks one {@code resource} value (RFC 8707 §2): absolute, no fragment, protected by this server.
     *
     * @throws OAuthException {@code invalid_target}
     */
    private URI parseResource(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw OAuthException.invalidTarget("resource is not a valid URI");
        }
        if (!uri.isAbsolute() || uri.getRawFragment() != null) {
            throw OAuthException.invalidTarget("resource must be an absolute URI without a fragment");
        }
        // The configured spelling becomes the tokens' aud, which resource servers compare as a string.
        return settings.protectedResource(uri).orElseThrow(
                () -> OAuthException.invalidTarget("resource is not served by this authorization server"));
    }

    private AuthorizationOutcome errorRedirect(URI redirectUri, ErrorObject error, State state) {
        URI location = new AuthorizationErrorResponse(redirectUri, error, state, issuer, ResponseMode.QUERY).toURI();
        return new AuthorizationOutcome.Redirect(location, true);
    }

    private static AuthorizationOutcome localError(ErrorObject base, String description) {
        return new AuthorizationOutcome.LocalError(base.setDescription(description).setHTTPStatusCode(400));
    }

    private static Map<String, List<String>> nonEmpty(Map<String, List<String>> raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null) {
            return params;
        }
        raw.forEach((k, values) -> {
            if (k == null || values == null) {
                return;
            }
            // the usual case, one non-empty value, is kept as it came: no stream per parameter on every request
            List<String> kept = values.size() == 1 && values.get(0) != null && !values.get(0).isEmpty() ? values
                    : values.stream().filter(v -> v != null && !v.isEmpty()).toList();
            if (!kept.isEmpty()) {
                params.put(k, kept);
            }
        });
        return params;
    }

    private static boolean isDuplicated(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v != null && v.size() > 1;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null ? null : v.get(0);
    }
}
