package io.github.mcpoauth.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import org.junit.jupiter.api.Test;

class OAuthExceptionTest {

    @Test
    void whenFactoriesAreUsedThenCodeAndStatusFollowTheRfcs() {
        assertThat(OAuthException.invalidRequest("d").error().getCode()).isEqualTo("invalid_request");
        assertThat(OAuthException.invalidRequest("d").error().getHTTPStatusCode()).isEqualTo(400);
        assertThat(OAuthException.invalidGrant("d").error().getCode()).isEqualTo("invalid_grant");
        assertThat(OAuthException.invalidClient("d").error().getHTTPStatusCode()).isEqualTo(401);
        assertThat(OAuthException.invalidScope("d").error().getCode()).isEqualTo("invalid_scope");
        assertThat(OAuthException.invalidTarget("d").error().getCode()).isEqualTo("invalid_target");
        assertThat(OAuthException.invalidTarget("d").error().getHTTPStatusCode()).isEqualTo(400);
        assertThat(OAuthException.invalidRedirectUri("d").error().getCode()).isEqualTo("invalid_redirect_uri");
        assertThat(OAuthException.invalidClientMetadata("d").error().getCode()).isEqualTo("invalid_client_metadata");
        assertThat(OAuthException.serverError("d").error().getHTTPStatusCode()).isEqualTo(500);
    }

    @Test
    void whenCreatedThenDescriptionIsTheMessageAndNoStackTraceIsFilled() {
        OAuthException e = OAuthException.invalidGrant("The code is expired");

        assertThat(e.getMessage()).isEqualTo("The code is expired");
        assertThat(e.error().getDescription()).isEqualTo("The code is expired");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e).hasToString("OAuthException[invalid_grant (400): The code is expired]");
    }

    @Test
    void whenADescriptionIsSetThenTheSharedConstantIsUnchanged() {
        OAuthException.of(OAuth2Error.INVALID_REQUEST, "changed");

        assertThat(OAuth2Error.INVALID_REQUEST.getDescription()).isEqualTo("Invalid request");
        assertThat(OAuthException.INVALID_TARGET.getDescription()).isEqualTo("Invalid target resource");
    }

    @Test
    void whenDescriptionHasCharactersRfc6749ForbidsThenTheyAreReplacedNotThrown() {
        OAuthException e = OAuthException.invalidScope("Scope not allowed: a\"b\\c\u00e9\n\u0000");

        assertThat(e.error().getDescription()).isEqualTo("Scope not allowed: a'b?c???");
        assertThat(e.error().getCode()).isEqualTo("invalid_scope");
    }
}
