package io.github.mcpoauth.servlet.internal.edge;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The request core sees, whose form body is decoded once: Nimbus decodes it on every
 * {@link #getBodyAsFormParameters()} call, and parsing one token request asks three times (core's form checks, the
 * client authentication candidates, the grant). Each call still gets its own mutable copy, and a changed body or
 * content type is decoded afresh; a body that does not parse is never remembered. Parameters keep their order.
 */
final class FormParsedOnce extends HTTPRequest {

    /** A decoded body and what it was decoded from. */
    private record Decoded(String body, String contentType, Map<String, List<String>> form) {
    }

    /** Written and read by the one thread that handles the request at a time. */
    private Decoded decoded;

    FormParsedOnce(Method method, URI uri) {
        super(method, uri);
    }

    @Override
    public Map<String, List<String>> getBodyAsFormParameters() throws ParseException {
        String body = getBody();
        String contentType = getHeaderValue("Content-Type");
        Decoded d = decoded;
        if (d == null || d.body() != body || !Objects.equals(d.contentType(), contentType)) {
            d = new Decoded(body, contentType, super.getBodyAsFormParameters());
            decoded = d;
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        d.form().forEach((name, values) -> copy.put(name, values == null ? null : new ArrayList<>(values)));
        return copy;
    }
}
