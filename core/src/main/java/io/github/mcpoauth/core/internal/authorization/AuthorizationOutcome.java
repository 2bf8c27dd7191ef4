package io.github.mcpoauth.core.internal.authorization;

import com.nimbusds.oauth2.sdk.ErrorObject;
import java.net.URI;
import java.util.Objects;

/**
 * What the authorization endpoint decided; the servlet module turns each kind into HTTP.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 §4.1.2</a>
 */
public sealed interface AuthorizationOutcome {

    /**
     * The request cannot be answered at the client's redirect URI (unknown client, bad or ambiguous redirect
     * URI): show a local error page with status 400, redirect nowhere (RFC 6749 §4.1.2.1).
     *
     * @param error the error; its description is safe to show
     */
    record LocalError(ErrorObject error) implements AuthorizationOutcome {
        /** Checks the invariant. */
        public LocalError {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * Send the user agent to the client: a success with {@code code}, or an error, both with {@code state} and
     * {@code iss} (RFC 9207).
     *
     * @param location the full redirect URI with its query
     * @param error whether this carries an error
     */
    record Redirect(URI location, boolean error) implements AuthorizationOutcome {
        /** Checks the invariant. */
        public Redirect {
            Objects.requireNonNull(location, "location");
        }

        /** Leaves out the query: it carries the authorization code. */
        @Override
        public String toString() {
            String s = location.toString();
            int q = s.indexOf('?');
            return "Redirect[location=" + (q < 0 ? s : s.substring(0, q) + "?...") + ", error=" + error + "]";
        }
    }

    /**
     * The request is valid, and no resource owner is signed in: the host sends the browser to its login, which
     * comes back to the same request.
     *
     * @param request the validated request
     */
    record LoginRequired(ValidatedAuthorization request) implements AuthorizationOutcome {
        /** Checks the invariant. */
        public LoginRequired {
            Objects.requireNonNull(request, "request");
        }
    }

    /**
     * The resource owner is known but has not consented to this client, these scopes and resources.
     *
     * @param request the validated request
     * @param subject the resource owner
     */
    record ConsentRequired(ValidatedAuthorization request, String subject) implements AuthorizationOutcome {
        /** Checks the invariants. */
        public ConsentRequired {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(subject, "subject");
        }
    }
}
