package io.github.mcpoauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loopback redirect listener takes only the response to its own request, and says how the login ended. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LoopbackReceiverTest {

    private final HttpClient browser = HttpClient.newHttpClient();

    private HttpResponse<String> get(LoopbackReceiver receiver, String query) throws Exception {
        URI uri = URI.create(receiver.redirectUri() + "?" + query);
        return browser.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void whenStateDoesNotMatchThenReceiverAnswers400AndKeepsWaitingForTheRightOne() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver()) {
            receiver.expectState("the-state");

            HttpResponse<String> prefetch = get(receiver, "code=stolen&state=other");
            HttpResponse<String> noState = get(receiver, "code=stolen");
            HttpResponse<String> ours = get(receiver, "code=the-code&state=the-state");

            assertThat(prefetch.statusCode()).isEqualTo(400);
            assertThat(prefetch.body()).contains("does not belong");
            assertThat(noState.statusCode()).isEqualTo(400);
            assertThat(ours.statusCode()).isEqualTo(200);
            assertThat(ours.body()).contains("You can close this window");
            assertThat(receiver.await(Duration.ofSeconds(30))).containsEntry("code", "the-code");
            assertThat(get(receiver, "code=again&state=the-state").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void whenTheResponseIsAnErrorThenTheErrorPageIsShown() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver()) {
            receiver.expectState("s");

            HttpResponse<String> page = get(receiver, "error=access_denied&state=s");

            assertThat(page.statusCode()).isEqualTo(400);
            assertThat(page.body()).contains("Authorization failed").doesNotContain("return to the application");
            assertThat(receiver.await(Duration.ofSeconds(30))).containsEntry("error", "access_denied");
        }
    }

    @Test
    void whenOnlyForeignRequestsArriveThenTheLoginTimesOutSayingSo() throws Exception {
        try (LoopbackReceiver receiver = new LoopbackReceiver()) {
            receiver.expectState("s");
            get(receiver, "code=x&state=forged");
            get(receiver, "error=access_denied");

            assertThatThrownBy(() -> receiver.await(Duration.ofMillis(300)))
                    .isInstanceOf(ClientAuthorizationException.class)
                    .hasMessageContaining("no authorization response").hasMessageContaining("2 request(s)");
        }
    }
}
