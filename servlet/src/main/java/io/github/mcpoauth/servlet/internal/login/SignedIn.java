package io.github.mcpoauth.servlet.internal.login;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * Who an upstream provider signed in, as kept in the HTTP session: the subject mcp-oauth uses (the configured
 * claim of a verified ID token), which provider vouched for it, and when.
 *
 * @param provider the provider's id
 * @param subject the user's subject for mcp-oauth (the access tokens' {@code sub})
 * @param at when the ID token was accepted
 */
public record SignedIn(String provider, String subject, Instant at) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks that no field is missing. */
    public SignedIn {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(at, "at");
    }
}
