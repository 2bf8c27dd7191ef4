package io.github.mcpoauth.core.internal.client;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.error.Printable;
import java.util.List;
import java.util.Map;

/**
 * Size caps on dynamic client registration requests (RFC 7591), so that an accepted client's stored metadata stays
 * small: a body of at most {@value #MAX_BODY} characters, at most {@value #MAX_FIELDS} fields, strings of at most
 * {@value #MAX_STRING} characters, arrays of at most {@value #MAX_ARRAY} strings. ({@code redirect_uris} and
 * {@code client_name} have tighter caps of their own.) A body over the size cap gets 413, any other excess 400
 * {@code invalid_client_metadata}. Checked by {@link RegistrationHandler} on the JSON it parses anyway.
 */
final class MetadataLimits {

    /** The largest registration body, in characters. */
    static final int MAX_BODY = 16 * 1024;
    /** The most top-level fields. */
    static final int MAX_FIELDS = 32;
    /** The longest string value. */
    static final int MAX_STRING = 2000;
    /** The most elements of an array value. */
    static final int MAX_ARRAY = 10;

    private MetadataLimits() {
    }

    /** Refuses a body over {@link #MAX_BODY} characters with 413, before it is parsed. */
    static void checkBodySize(String body) {
        if (body != null && body.length() > MAX_BODY) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST.setHTTPStatusCode(413)
                    .setDescription("The registration request is larger than " + MAX_BODY + " bytes"));
        }
    }

    /** Refuses parsed metadata over the field, string or array caps with {@code invalid_client_metadata}. */
    static void check(Map<String, Object> json) {
        String excess = excess(json);
        if (excess != null) {
            throw OAuthException.invalidClientMetadata(excess);
        }
    }

    private static String excess(Map<String, Object> json) {
        if (json.size() > MAX_FIELDS) {
            return "At most " + MAX_FIELDS + " metadata fields are accepted";
        }
        for (Map.Entry<String, Object> e : json.entrySet()) {
            String field = e.getKey();
            if (field.length() > 64) {
                return "A metadata field name is longer than 64 characters";
            }
            Object v = e.getValue();
            if (v instanceof String s && s.length() > MAX_STRING) {
                return Printable.visible(field, 64) + " is longer than " + MAX_STRING + " characters";
            }
            if (v instanceof List<?> list && !field.equals("redirect_uris")) {
                if (list.size() > MAX_ARRAY) {
                    return Printable.visible(field, 64) + " has more than " + MAX_ARRAY + " elements";
                }
                for (Object o : list) {
                    if (!(o instanceof String s) || s.length() > MAX_STRING) {
                        return Printable.visible(field, 64) + " must hold strings of at most " + MAX_STRING
                                + " characters";
                    }
                }
            }
        }
        return null;
    }
}
