package io.github.mcpoauth.servlet.internal.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request whose form body is decoded once reads exactly as Nimbus's own. */
class FormParsedOnceTest {

    private static final URI TOKEN = URI.create("https://as.example.com/oauth2/token");
    private static final String FORM = "grant_type=authorization_code&code=c%2Bd"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&code_verifier=" + "v".repeat(43) + "&client_id=app"
            + "&resource=https%3A%2F%2Fa.example%2Fmcp&resource=https%3A%2F%2Fb.example";

    @Test
    void whenTheFormIsReadTwiceThenBothReadsEqualNimbusOwnAndAreIndependentCopies() throws Exception {
        HTTPRequest plain = request(new HTTPRequest(HTTPRequest.Method.POST, TOKEN), FORM);
        HTTPRequest once = request(new FormParsedOnce(HTTPRequest.Method.POST, TOKEN), FORM);

        Map<String, List<String>> first = once.getBodyAsFormParameters();
        first.get("resource").clear();
        first.remove("code");

        assertThat(once.getBodyAsFormParameters()).isEqualTo(plain.getBodyAsFormParameters())
                .containsEntry("code", List.of("c+d"));
        assertThat(once.getBodyAsFormParameters().keySet()).containsExactlyElementsOf(
                plain.getBodyAsFormParameters().keySet());
        assertThat(TokenRequest.parse(once).toHTTPRequest().getBodyAsFormParameters())
                .isEqualTo(TokenRequest.parse(plain).toHTTPRequest().getBodyAsFormParameters());
    }

    @Test
    void whenTheBodyOrContentTypeChangesThenTheFormIsDecodedAfresh() throws Exception {
        HTTPRequest once = request(new FormParsedOnce(HTTPRequest.Method.POST, TOKEN), "a=1");
        assertThat(once.getBodyAsFormParameters()).containsEntry("a", List.of("1"));

        once.setBody("a=2");
        assertThat(once.getBodyAsFormParameters()).containsEntry("a", List.of("2"));

        once.setHeader("Content-Type", "application/json");
        assertThatThrownBy(once::getBodyAsFormParameters).isInstanceOf(ParseException.class);
    }

    private static HTTPRequest request(HTTPRequest request, String body) {
        request.setHeader("Content-Type", "application/x-www-form-urlencoded");
        request.setBody(body);
        return request;
    }
}
