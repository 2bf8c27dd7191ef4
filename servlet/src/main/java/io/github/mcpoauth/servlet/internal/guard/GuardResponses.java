package io.github.mcpoauth.servlet.internal.guard;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.resource.BearerChallenge;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.servlet.internal.limit.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The one place the guard writes a refusal: the status of the error, {@code WWW-Authenticate} for bearer errors
 * (built by {@link BearerChallenge}), {@code Cache-Control: no-store}, and a small JSON body with the error code
 * when there is one. Nothing from the request is echoed. An unread request body is discarded first (bounded, see
 * {@link RequestBodies}) so that a client on a kept-alive connection reads the refusal and can send again.
 */
final class GuardResponses {

    private GuardResponses() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, ProtectedResourceSettings settings,
            OAuthException e, GuardDpop dpop) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        RequestBodies.discard(request, response);
        ErrorObject error = e.error();
        int status = error.getHTTPStatusCode() > 0 ? error.getHTTPStatusCode() : 500;
        response.resetBuffer();
        response.setStatus(status);
        if (error instanceof BearerTokenError) {
            response.setHeader("WWW-Authenticate", BearerChallenge.of(settings, error));
        }
        dpop.challenge(response, error); // RFC 9449 §7.1: the DPoP challenge and nonce
        response.setHeader("Cache-Control", "no-store");
        if (status == 503) {
            response.setHeader("Retry-After", Long.toString(ErrorResponses.UNAVAILABLE_RETRY_AFTER_SECONDS));
        }
        if (error.getCode() == null) {
            response.setContentLength(0);
            return;
        }
        byte[] body = error.toJSONObject().toJSONString().getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
