package io.github.mcpoauth.client;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Receives the authorization URL the user must visit; the redirect comes back to the client's loopback listener
 * (<a href="https://www.rfc-editor.org/rfc/rfc8252#section-7.3">RFC 8252 §7.3</a>). Implement it yourself for
 * headless use (a test that drives a login form over HTTP, a server that forwards the link to a user).
 */
@FunctionalInterface
public interface AuthorizationUrlHandler {

    /**
     * Sends the user (or a robot) to the URL. May return at once: the client waits for the redirect.
     *
     * @param authorizationUrl the authorization request, with PKCE challenge and state
     * @throws Exception if the URL cannot be handed over; the authorization then fails
     */
    void open(URI authorizationUrl) throws Exception;

    /** Opens the system browser ({@code open}, {@code xdg-open} or the Windows URL handler). */
    static AuthorizationUrlHandler systemBrowser() {
        return url -> {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            List<String> command = os.contains("mac") ? List.of("open", url.toString())
                    : os.contains("win") ? List.of("rundll32", "url.dll,FileProtocolHandler", url.toString())
                            : List.of("xdg-open", url.toString());
            try {
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                throw new IOException("no browser could be started (" + command.get(0) + "); open the URL by hand", e);
            }
        };
    }

    /** Prints the URL, for a terminal where no browser can be started. */
    static AuthorizationUrlHandler print(PrintStream out) {
        Objects.requireNonNull(out, "out");
        return url -> out.println("Open this URL in a browser to authorize: " + url);
    }
}
