package io.github.mcpoauth.core.internal.authorization;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.settings.ClockTicker;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Warms a new server's token path before its first request (issue 13, item 2): runs whole authorization code flows
 * in process (a registration, the authorization request with consent, the code exchange and a refresh) against a
 * throwaway server on the same settings, with in-memory stores, signing key and housekeeping of its own and no
 * audit listener, then closes it. Nothing reaches the real server's stores, keys or listeners; what stays is the
 * JVM's: classes loaded and initialized (Nimbus, json-smart, the JCA providers, {@code SecureRandom}) and the hot
 * methods compiled, so that the first requests of the real server run at nearly steady-state speed.
 *
 * <p>Bounded in count and in time (on the settings' clock); a failure ends it quietly (logged at {@code DEBUG}): a
 * warm-up never stops a server from starting.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1">RFC 6749 §4.1</a>
 */
public final class WarmUp {

    private static final System.Logger LOG = System.getLogger(WarmUp.class.getName());
    private static final String SUBJECT = "mcp-oauth-warm-up";
    private static final String REDIRECT_URI = "http://127.0.0.1/mcp-oauth-warm-up/callback";

    /** How long the background flows may run. */
    static final Duration BUDGET = Duration.ofSeconds(5);

    private final AuthorizationServer shadow;
    private final AuthorizationServerSettings settings;
    private final Secrets secrets = Secrets.create();

    private WarmUp(AuthorizationServer shadow) {
        this.shadow = shadow;
        this.settings = shadow.settings();
    }

    /**
     * The warm-up of a server being built: one flow now (classes, providers and JSON paths initialized before the
     * first request), the other {@code flows - 1} on {@code housekeeping} (the hot methods compiled), ending when it
     * shuts down. {@code sameAppResources} as the real server has them, so that the same token forms are exercised.
     */
    public static void start(AuthorizationServerSettings settings,
            Function<AuthorizationServerSettings, ? extends Collection<URI>> sameAppResources, int flows,
            ScheduledExecutorService housekeeping) {
        if (flows > 0) {
            run(settings, sameAppResources, 1, BUDGET, () -> false);
        }
        if (flows > 1) {
            housekeeping.execute(() -> run(settings, sameAppResources, flows - 1, BUDGET, housekeeping::isShutdown));
        }
    }

    /**
     * Runs at most {@code flows} flows on a throwaway server of {@code settings}, stopping after {@code budget}, at
     * the first failure, or once {@code stop} says so (the real server closing).
     *
     * @return how many flows completed
     */
    public static int run(AuthorizationServerSettings settings,
            Function<AuthorizationServerSettings, ? extends Collection<URI>> sameAppResources, int flows,
            Duration budget, BooleanSupplier stop) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(stop, "stop");
        if (flows <= 0) {
            return 0;
        }
        Ticker ticker = ClockTicker.of(settings.clock());
        long deadline = ticker.read() + budget.toNanos();
        int done = 0;
        try (AuthorizationServer shadow = AuthorizationServer.builder().settings(settings).auditListener(e -> { })
                .clientIdMetadataDocuments(false).sameAppResources(sameAppResources).warmUpFlows(0).build()) {
            WarmUp warmUp = new WarmUp(shadow);
            String clientId = warmUp.register();
            while (done < flows && !stop.getAsBoolean()
                    && (done == 0 || ticker.read() < deadline)) {
                warmUp.flow(clientId);
                done++;
            }
        } catch (RuntimeException | Failed e) {
            LOG.log(System.Logger.Level.DEBUG, "warm-up ended after {0} flows: {1}", done, e.getMessage());
        }
        return done;
    }

    /** A step of the warm-up did not answer as a real client expects. */
    private static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        Failed(String step) {
            super(step, null, false, false);
        }
    }

    /** RFC 7591 registration of a public client, as the MCP clients do it. */
    private String register() throws Failed {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST,
                settings.endpoint(settings.paths().registration()));
        request.setHeader("Content-Type", "application/json");
        request.setBody("{\"client_name\":\"warm-up\",\"redirect_uris\":[\"" + REDIRECT_URI + "\"],"
                + "\"token_endpoint_auth_method\":\"none\","
                + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"]}");
        return member(shadow.registration().handle(request), 201, "client_id", "registration");
    }

    /** The authorization request (consent given on the first), the code exchange and one refresh. */
    private void flow(String clientId) throws Failed {
        CodeVerifier verifier = new CodeVerifier(secrets.newSecret());
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("response_type", List.of("code"));
        query.put("client_id", List.of(clientId));
        query.put("redirect_uri", List.of(REDIRECT_URI));
        query.put("code_challenge", List.of(CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue()));
        query.put("code_challenge_method", List.of("S256"));
        query.put("state", List.of(secrets.newId(8)));
        query.put("resource", List.of(settings.resources().get(0).toString()));
        AuthorizationEndpoint authorization = shadow.authorization();
        AuthorizationOutcome outcome = authorization.authorize(query, Optional.of(SUBJECT));
        if (outcome instanceof AuthorizationOutcome.ConsentRequired consent) {
            outcome = authorization.decide(consent.request(), SUBJECT, true);
        }
        if (!(outcome instanceof AuthorizationOutcome.Redirect redirect) || redirect.error()) {
            throw new Failed("authorization answered " + outcome.getClass().getSimpleName());
        }
        List<String> code = URLUtils.parseParameters(redirect.location().getRawQuery()).get("code");
        if (code == null || code.size() != 1) {
            throw new Failed("authorization redirect without a code");
        }
        Map<String, List<String>> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", List.of("authorization_code"));
        exchange.put("code", code);
        exchange.put("redirect_uri", List.of(REDIRECT_URI));
        exchange.put("code_verifier", List.of(verifier.getValue()));
        exchange.put("client_id", List.of(clientId));
        exchange.put("resource", query.get("resource"));
        String refreshToken = token(exchange);
        if (refreshToken != null) {
            Map<String, List<String>> refresh = new LinkedHashMap<>();
            refresh.put("grant_type", List.of("refresh_token"));
            refresh.put("refresh_token", List.of(refreshToken));
            refresh.put("client_id", List.of(clientId));
            refresh.put("resource", query.get("resource"));
            token(refresh);
        }
    }

    /** One token request; returns the refresh token issued, if any. */
    private String token(Map<String, List<String>> form) throws Failed {
        URI endpoint = settings.endpoint(settings.paths().token());
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, endpoint);
        request.setHeader("Content-Type", "application/x-www-form-urlencoded");
        request.setBody(URLUtils.serializeParameters(form));
        return member(shadow.token().handle(request), 200, "refresh_token", "token endpoint");
    }

    /** The string member {@code name} of a JSON answer with status {@code expected} (null when absent). */
    private static String member(HTTPResponse response, int expected, String name, String step) throws Failed {
        if (response.getStatusCode() != expected) {
            throw new Failed(step + " answered " + response.getStatusCode());
        }
        try {
            return response.getBodyAsJSONObject().getAsString(name);
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new Failed(step + " answer unreadable");
        }
    }
}
