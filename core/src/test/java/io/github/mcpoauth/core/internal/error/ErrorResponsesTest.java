package io.github.mcpoauth.core.internal.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.fixtures.Requests;
import io.github.mcpoauth.core.fixtures.Responses;
import java.net.URI;
import java.sql.SQLTransientConnectionException;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {

    private static final URI TOKEN = URI.create("https://as.example.com/oauth2/token");

    @Test
    void whenEndpointFailsWithOAuthExceptionThenItIsTheResponseWithNoStore() {
        HTTPResponse r = ErrorResponses.of(OAuthException.invalidGrant("Code expired"), Requests.form(TOKEN).build());

        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(Responses.json(r)).containsEntry("error", "invalid_grant")
                .containsEntry("error_description", "Code expired");
        assertThat(r.getCacheControl()).isEqualTo("no-store");
        assertThat(r.getPragma()).isEqualTo("no-cache");
        assertThat(r.getEntityContentType().matches(com.nimbusds.common.contenttype.ContentType.APPLICATION_JSON))
                .isTrue();
        assertThat(r.getHeaderValue("WWW-Authenticate")).isNull();
    }

    @Test
    void whenEndpointFailsWithSomethingElseThenServerErrorWithoutItsMessage() {
        HTTPResponse r = ErrorResponses.of(new IllegalStateException("secret detail at /var/db"),
                Requests.form(TOKEN).build());

        assertThat(r.getStatusCode()).isEqualTo(500);
        assertThat(Responses.error(r)).isEqualTo("server_error");
        assertThat(r.getBody()).doesNotContain("secret detail").doesNotContain("IllegalStateException");
        assertThat(r.getCacheControl()).isEqualTo("no-store");
    }

    @Test
    void whenStoreIsUnavailableThen503TemporarilyUnavailable() {
        HTTPResponse r = ErrorResponses.of(new RuntimeException(new SQLTransientConnectionException("down")),
                Requests.form(TOKEN).build());

        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(Responses.error(r)).isEqualTo("temporarily_unavailable");
    }

    @Test
    void whenStoreExceptionSaysUnavailableThen503() {
        class Down extends RuntimeException implements ErrorResponses.Unavailable {
            @Override
            public boolean isUnavailable() {
                return true;
            }
        }
        HTTPResponse r = ErrorResponses.of(new Down(), Requests.form(TOKEN).build());

        assertThat(r.getStatusCode()).isEqualTo(503);
    }

    @Test
    void whenStackOverflowsThenServerErrorNotACrash() {
        HTTPResponse r = ErrorResponses.of(new StackOverflowError(), Requests.form(TOKEN).build());

        assertThat(r.getStatusCode()).isEqualTo(500);
    }

    @Test
    void whenInvalidClientAndBasicWasUsedThenWwwAuthenticateBasic() {
        HTTPRequest basic = Requests.form(TOKEN).basic("c", "s").build();

        HTTPResponse r = ErrorResponses.toResponse(OAuth2Error.INVALID_CLIENT, basic);

        assertThat(r.getStatusCode()).isEqualTo(401);
        assertThat(r.getHeaderValue("WWW-Authenticate")).startsWith("Basic ");
    }

    @Test
    void whenInvalidClientWithoutBasicThenNoWwwAuthenticate() {
        HTTPResponse r = ErrorResponses.toResponse(OAuth2Error.INVALID_CLIENT,
                Requests.form(TOKEN).secretPost("c", "s").build());

        assertThat(r.getStatusCode()).isEqualTo(401);
        assertThat(r.getHeaderValue("WWW-Authenticate")).isNull();
        assertThat(ErrorResponses.toResponse(OAuth2Error.INVALID_CLIENT, null).getStatusCode()).isEqualTo(401);
    }

    @Test
    void whenErrorHasNoStatusOrDescriptionThen400AndOnlyTheCode() {
        HTTPResponse r = ErrorResponses.toResponse(new ErrorObject("custom_error"), null);

        assertThat(r.getStatusCode()).isEqualTo(400);
        JSONObject json = Responses.json(r);
        assertThat(json).containsOnlyKeys("error").containsEntry("error", "custom_error");
    }

    @Test
    void whenParseExceptionCarriesAnErrorThenItIsKeptElseInvalidRequest() {
        OAuthException carried = ErrorResponses.fromParse(new ParseException("x",
                OAuth2Error.UNSUPPORTED_GRANT_TYPE));
        OAuthException bare = ErrorResponses.fromParse(new ParseException("internal detail"));

        assertThat(carried.error().getCode()).isEqualTo("unsupported_grant_type");
        assertThat(carried.error().getHTTPStatusCode()).isEqualTo(400);
        assertThat(bare.error().getCode()).isEqualTo("invalid_request");
        assertThat(bare.getMessage()).doesNotContain("internal detail");
    }
}
