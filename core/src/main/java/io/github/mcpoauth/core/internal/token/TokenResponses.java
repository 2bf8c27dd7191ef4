package io.github.mcpoauth.core.internal.token;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import java.time.Duration;

/**
 * The one writer of successful token responses (RFC 6749 §5.1): {@code no-store}, the lifetime, the scopes, the
 * refresh token when one was issued, and {@code token_type} {@code DPoP} for a sender-constrained token.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.1">RFC 6749 §5.1</a>
 */
final class TokenResponses {

    private TokenResponses() {
    }

    static HTTPResponse of(TokenResult issued, Duration lifetime) {
        Scope scope = issued.scopes().isEmpty() ? null : new Scope(issued.scopes().stream().sorted()
                .toArray(String[]::new));
        String value = issued.accessToken();
        AccessToken access = issued.confirmation().isPresent()
                ? new DPoPAccessToken(value, lifetime.toSeconds(), scope)
                : new BearerAccessToken(value, lifetime.toSeconds(), scope);
        HTTPResponse response = new AccessTokenResponse(
                new Tokens(access, issued.refreshToken().map(RefreshToken::new).orElse(null))).toHTTPResponse();
        response.setCacheControl("no-store");
        response.setPragma("no-cache");
        return response;
    }
}
