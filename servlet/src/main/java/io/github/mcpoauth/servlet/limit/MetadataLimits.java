package io.github.mcpoauth.servlet.limit;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import io.github.mcpoauth.core.error.ErrorResponses;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.error.Printable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import net.minidev.json.JSONObject;

/**
 * Size caps on dynamic client registration requests (RFC 7591), checked before the registration endpoint sees
 * them, so that an accepted client's stored metadata stays small: a body of at most {@value #MAX_BODY} bytes, at
 * most {@value #MAX_FIELDS} fields, strings of at most {@value #MAX_STRING} characters, arrays of at most
 * {@value #MAX_ARRAY} strings. ({@code redirect_uris} and {@code client_name} have tighter caps of their own,
 * checked by the registration endpoint.) A body over the size cap gets 413, any other excess 400
 * {@code invalid_client_metadata}.
 */
public final class MetadataLimits {

    /** The largest registration body, in characters. */
    public static final int MAX_BODY = 16 * 1024;
    /** The most top-level fields. */
    public static final int MAX_FIELDS = 32;
    /** The longest string value. */
    public static final int MAX_STRING = 2000;
    /** The most elements of an array value. */
    public static final int MAX_ARRAY = 10;

    private MetadataLimits() {
    }

    /** {@code registration}, answering requests over the caps itself. */
    public static Function<HTTPRequest, HTTPResponse> guard(Function<HTTPRequest, HTTPResponse> registration) {
        Objects.requireNonNull(registration, "registration");
        return request -> {
            String body = request.getBody();
            if (body == null) {
                return registration.apply(request);
            }
            if (body.length() > MAX_BODY) {
                return ErrorResponses.toResponse(OAuth2Error.INVALID_REQUEST.setHTTPStatusCode(413)
                        .setDescription("The registration request is larger than " + MAX_BODY + " bytes"), request);
            }
            JSONObject json;
            try {
                json = JSONObjectUtils.parse(body);
            } catch (ParseException | RuntimeException e) {
                return registration.apply(request); // not JSON: the endpoint says so in its own words
            }
            String excess = excess(json);
            if (excess != null) {
                return ErrorResponses.toResponse(
                        OAuthException.INVALID_CLIENT_METADATA.setDescription(excess), request);
            }
            return registration.apply(request);
        };
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
