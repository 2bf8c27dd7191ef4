package io.github.mcpoauth.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Bounds what one operation may cost: the authorizations (a refresh, a grant, a browser login) that answer a 401 or a
 * 403 {@code insufficient_scope}, and the retries a resource server's {@code use_dpop_nonce}
 * (<a href="https://www.rfc-editor.org/rfc/rfc9449#section-9">RFC 9449 §9</a>) asks for. The client cannot see a
 * request succeed, so an operation is recognized from the other side: it goes on while the server rejects the very
 * token the previous step produced, within a minute of that step. A rejection of any other token (an older one, one
 * from the store, one refreshed ahead of expiry) starts a new operation. Not thread-safe: the client's lock guards it.
 */
final class AttemptBudget {

    /** How long after a step a rejection of its token still counts as the same operation. */
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final int maxAttempts;
    private final int maxChain;
    private String lastIssued;
    private Instant issuedAt = Instant.MIN;
    private int attempts;
    private int chain;
    private String nonceToken;
    private Instant nonceAt = Instant.MIN;
    private int nonceRetries;

    AttemptBudget(Clock clock, int maxAttempts, int maxChain) {
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.maxChain = maxChain;
    }

    /** A 401 or 403 answered the request that carried {@code sent}: a new operation unless it continues one. */
    void rejected(Optional<String> sent) {
        boolean continuing = lastIssued != null && recent(issuedAt)
                && sent.map(lastIssued::equals).orElse(true);
        if (!continuing) {
            attempts = 0;
            chain = 0;
        }
    }

    /** A 401: one more authorization, or a {@link ClientAuthorizationException} when the operation spent them. */
    void spendOnUnauthorized() {
        if (attempts >= maxAttempts || chain >= maxChain) {
            throw new ClientAuthorizationException("the MCP server still answers 401 after " + Math.max(attempts, chain)
                    + " authorizations for one operation: giving up");
        }
        attempts++;
        chain++;
    }

    /**
     * A 403 {@code insufficient_scope}: asking for scopes not asked for yet is progress (the authorization that led
     * here counts as the first attempt for them); asking again for the same ones is a retry.
     */
    void spendOnInsufficientScope(boolean progress, String scope) {
        attempts = progress ? 1 : attempts;
        if (attempts >= maxAttempts || chain >= maxChain) {
            throw new ClientAuthorizationException("the MCP server still answers insufficient_scope (scope " + scope
                    + ") after " + Math.max(attempts, chain) + " authorizations: giving up");
        }
        attempts++;
        chain++;
    }

    /** Records the access token a step produced: rejections of it continue the operation. */
    void issued(String accessToken) {
        lastIssued = accessToken;
        issuedAt = clock.instant();
    }

    /** A 401 {@code use_dpop_nonce}: one more retry with the new nonce, at most {@code maxAttempts} in a row. */
    void spendOnNonce(Optional<String> sent) {
        String token = sent.orElse("");
        if (!token.equals(nonceToken) || !recent(nonceAt)) {
            nonceToken = token;
            nonceRetries = 0;
        }
        if (nonceRetries >= maxAttempts) {
            throw new ClientAuthorizationException("the MCP server still answers use_dpop_nonce after "
                    + nonceRetries + " retries with its nonce: giving up");
        }
        nonceRetries++;
        nonceAt = clock.instant();
    }

    private boolean recent(Instant step) {
        return clock.instant().isBefore(step.plus(WINDOW));
    }
}
