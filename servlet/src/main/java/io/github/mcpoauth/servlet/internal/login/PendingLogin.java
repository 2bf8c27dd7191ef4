package io.github.mcpoauth.servlet.internal.login;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A sign-in started at an upstream provider and not yet come back: what the callback must find in the browser's
 * session to accept the answer (the {@code state} it was sent with, the {@code nonce} the ID token must carry, the
 * PKCE verifier) and where to send the browser afterwards. Held in the HTTP session only; single use.
 *
 * @param provider the provider's id
 * @param state the {@code state} sent (OAuth 2.0, RFC 6749 §10.12)
 * @param nonce the {@code nonce} sent (OpenID Connect Core §3.1.2.1)
 * @param codeVerifier the PKCE verifier (RFC 7636)
 * @param returnTo the relative URL to go back to: the pending MCP authorization request
 * @param startedAt when the sign-in started
 */
public record PendingLogin(String provider, String state, String nonce, String codeVerifier, String returnTo,
        Instant startedAt) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks that no field is missing. */
    public PendingLogin {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(returnTo, "returnTo");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    @Override
    public String toString() {
        return "PendingLogin[" + provider + ", started " + startedAt + "]";
    }
}
