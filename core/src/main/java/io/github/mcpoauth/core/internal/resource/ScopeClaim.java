package io.github.mcpoauth.core.internal.resource;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one reading of a token's {@code scope} claim (RFC 6749 §3.3, RFC 9068 §2.2.3): scope names separated by
 * spaces, an empty name (two spaces in a row) skipped, in their order, none when the claim is absent. The verifier
 * reads every token's scopes with it, and {@link CompactTokens} uses it to tell whether a token's scopes are its
 * grant's (then not carried).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.3">RFC 6749 §3.3</a>
 */
public final class ScopeClaim {

    private ScopeClaim() {
    }

    /** The scopes of a {@code scope} claim, or none when {@code scope} is null. */
    public static Set<String> parse(String scope) {
        Set<String> scopes = new LinkedHashSet<>();
        if (scope != null) {
            for (String s : scope.split(" ")) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
        }
        return scopes;
    }
}
