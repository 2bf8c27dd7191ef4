package io.github.mcpoauth.servlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcpoauth.servlet.consent.ConsentPage;
import io.github.mcpoauth.servlet.testing.Browser;
import io.github.mcpoauth.servlet.testing.McpClient;
import io.github.mcpoauth.servlet.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The built-in consent page over real HTTP: branding, scope descriptions with the raw scope, the "self-registered"
 * label, the warning for a redirect to this machine, the language chosen by {@code Accept-Language}, and the
 * refusal of logos the page's CSP would not allow.
 */
class ConsentPageDesignTest {

    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> consentPage(String redirectUri, String acceptLanguage) throws Exception {
        Browser browser = new Browser();
        McpClient client = new McpClient(server, browser).redirectUri(redirectUri);
        ObjectNode body = client.registrationBody("none");
        assertThat(client.register(body).statusCode()).isEqualTo(201);
        HttpResponse<String> r = browser.get(client.authorizeUri(McpClient.pkce(), "st"));
        String ret = Browser.query(Browser.location(r)).get("return");
        r = browser.post(server.uri("/login"), Map.of("username", List.of("alice"), "password",
                List.of(TestServer.USERS.get("alice")), "return", List.of(ret)));
        HttpRequest.Builder get = HttpRequest.newBuilder(Browser.location(r)).timeout(Duration.ofSeconds(10));
        if (acceptLanguage != null) {
            get.header("Accept-Language", acceptLanguage);
        }
        return browser.http().send(get.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void whenBrandedWithScopeDescriptionsThenPageShowsThemWithTheRawScope() throws Exception {
        server = TestServer.builder().oauth(o -> o.consentPage(ConsentPage.builtIn("Acme MCP",
                "data:image/svg+xml;base64,PHN2Zy8+", Map.of("mcp", "Read your Acme projects")))).start();

        HttpResponse<String> page = consentPage("https://app.example.com/cb", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html lang=\"en\"").contains("Acme MCP")
                .contains("<img src=\"data:image/svg+xml;base64,PHN2Zy8+\" alt=\"\">")
                .contains("Read your Acme projects <code>mcp</code>")
                .contains("Unverified: this app registered itself")
                .contains("class=\"primary\" type=\"submit\" name=\"decision\" value=\"approve\"")
                .contains("prefers-color-scheme:dark")
                .contains("app.example.com").doesNotContain("class=\"warn\"");
    }

    @Test
    void whenOnlyRedirectIsThisMachineThenPageWarns() throws Exception {
        server = TestServer.builder().start();

        HttpResponse<String> page = consentPage("http://127.0.0.1:1234/callback", null);

        assertThat(page.body()).contains("class=\"warn\"").contains("This app runs on this computer")
                .contains("<strong>127.0.0.1</strong>");
    }

    @Test
    void whenBrowserPrefersFrenchThenPageIsInFrenchWithTheBuiltInScopeDescription() throws Exception {
        server = TestServer.builder().start();

        HttpResponse<String> page = consentPage("https://app.example.com/cb", "fr-CH, fr;q=0.9, en;q=0.8");

        assertThat(page.body()).contains("<html lang=\"fr\"").contains("Autoriser l’accès")
                .contains("Utiliser les outils et données de ce serveur MCP en votre nom <code>mcp</code>");
    }

    @Test
    void whenBrowserPrefersAnUnsupportedLanguageThenPageIsInEnglish() throws Exception {
        server = TestServer.builder().start();

        HttpResponse<String> page = consentPage("https://app.example.com/cb", "ja, de;q=0.5");

        assertThat(page.body()).contains("<html lang=\"en\"").contains("Allow access");
    }

    @Test
    void whenLogoIsOnAnotherHostThenBuiltInPageRefusesIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConsentPage.builtIn("Acme",
                "https://cdn.example.com/logo.png", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logo");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConsentPage.builtIn("Acme",
                "//cdn.example.com/logo.png", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whenClientIdIsAMetadataDocumentUrlThenViewNamesItsVerifiedHost() {
        var view = new io.github.mcpoauth.servlet.consent.ConsentView("App", "https://app.example.com/client.json",
                "localhost", List.of(), List.of(), "alice", "/x", Map.of());
        assertThat(view.verifiedHost()).contains("app.example.com");
        assertThat(view.redirectsToThisMachine()).isTrue();
        assertThat(new io.github.mcpoauth.servlet.consent.ConsentView("App", "abc", "app.example.com", List.of(),
                List.of(), "alice", "/x", Map.of()).verifiedHost()).isEmpty();
    }
}
