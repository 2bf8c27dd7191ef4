package io.github.mcpoauth.core.error;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import java.util.Objects;

/**
 * The one exception type of mcp-oauth: a protocol error carrying a Nimbus {@link ErrorObject}, whose HTTP
 * status and OAuth error code are what the client sees.
 *
 * <p>Descriptions are written for the client (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 6750 §3.1) and never contain
 * a secret, a code or a token. Stack traces are not filled: this is control flow, not a fault.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
public final class OAuthException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** RFC 7591 §3.2.2: the value of one or more redirection URIs is invalid. */
    public static final ErrorObject INVALID_REDIRECT_URI = new ErrorObject(
            "invalid_redirect_uri", "Invalid redirection URI", 400);

    /** RFC 7591 §3.2.2: the value of one of the client metadata fields is invalid. */
    public static final ErrorObject INVALID_CLIENT_METADATA = new ErrorObject(
            "invalid_client_metadata", "Invalid client metadata", 400);

    /** RFC 8707 §2: the requested resource is invalid, missing, unknown, or malformed. */
    public static final ErrorObject INVALID_TARGET = new ErrorObject(
            "invalid_target", "Invalid target resource", 400);

    private final transient ErrorObject error;

    /** Creates an exception for {@code error}; the error's description becomes the message. */
    public OAuthException(ErrorObject error) {
        super(Objects.requireNonNull(error, "error").getDescription(), null, false, false);
        this.error = error;
    }

    /** The error, with its HTTP status; never {@code null}. */
    public ErrorObject error() {
        return error;
    }

    /** {@code invalid_request} (400) with {@code description}. */
    public static OAuthException invalidRequest(String description) {
        return of(OAuth2Error.INVALID_REQUEST, description);
    }

    /** {@code invalid_grant} (400) with {@code description}. */
    public static OAuthException invalidGrant(String description) {
        return of(OAuth2Error.INVALID_GRANT, description);
    }

    /** {@code invalid_client} (401) with {@code description}. */
    public static OAuthException invalidClient(String description) {
        return of(OAuth2Error.INVALID_CLIENT, description);
    }

    /** {@code invalid_scope} (400) with {@code description}. */
    public static OAuthException invalidScope(String description) {
        return of(OAuth2Error.INVALID_SCOPE, description);
    }

    /** {@code invalid_target} (400) with {@code description}. */
    public static OAuthException invalidTarget(String description) {
        return of(INVALID_TARGET, description);
    }

    /** {@code invalid_redirect_uri} (400) with {@code description}. */
    public static OAuthException invalidRedirectUri(String description) {
        return of(INVALID_REDIRECT_URI, description);
    }

    /** {@code invalid_client_metadata} (400) with {@code description}. */
    public static OAuthException invalidClientMetadata(String description) {
        return of(INVALID_CLIENT_METADATA, description);
    }

    /** {@code server_error} (500, or 503 when the store is unavailable) with {@code description}. */
    public static OAuthException serverError(String description) {
        return of(OAuth2Error.SERVER_ERROR, description);
    }

    /**
     * {@code base} with its status and code, and {@code description} in place of its own. Characters RFC 6749
     * §5.2 does not allow in {@code error_description} (quotes, backslashes, controls, non-ASCII) are replaced,
     * since Nimbus refuses them and the description may quote client input.
     */
    public static OAuthException of(ErrorObject base, String description) {
        return new OAuthException(base.setDescription(legalDescription(description)));
    }

    /** {@code description} with every character outside %x20-21 / %x23-5B / %x5D-7E (RFC 6749 §5.2) replaced. */
    static String legalDescription(String description) {
        if (description == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(description.length());
        for (int i = 0; i < description.length(); i++) {
            char c = description.charAt(i);
            boolean legal = c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
            b.append(legal ? c : c == '"' ? '\'' : '?');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "OAuthException[" + error.getCode() + " (" + error.getHTTPStatusCode() + "): "
                + error.getDescription() + "]";
    }
}
