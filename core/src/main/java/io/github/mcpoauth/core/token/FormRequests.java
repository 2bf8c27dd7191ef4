package io.github.mcpoauth.core.token;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import io.github.mcpoauth.core.error.OAuthException;
import java.util.List;
import java.util.Map;

/** Checks shared by every form-encoded endpoint: POST, the form content type, no duplicated parameter. */
final class FormRequests {
    private FormRequests() {
    }

    static Map<String, List<String>> requireForm(HTTPRequest request) {
        if (request.getMethod() != HTTPRequest.Method.POST) {
            throw OAuthException.invalidRequest("This endpoint requires POST");
        }
        Map<String, List<String>> form;
        try {
            request.ensureEntityContentType(ContentType.APPLICATION_URLENCODED);
            form = request.getBodyAsFormParameters();
        } catch (ParseException e) {
            throw OAuthException.invalidRequest(
                    "The body must be application/x-www-form-urlencoded");
        }
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            if (e.getValue().size() > 1 && !"resource".equals(e.getKey())) {
                throw OAuthException.invalidRequest("A parameter was sent more than once");
            }
        }
        if (!request.getQueryStringParameters().isEmpty()) {
            for (String k : request.getQueryStringParameters().keySet()) {
                if (form.containsKey(k)) {
                    throw OAuthException.invalidRequest("A parameter was sent more than once");
                }
            }
        }
        return form;
    }
}
