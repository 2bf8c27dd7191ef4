package io.github.mcpoauth.servlet.consent;

import io.github.mcpoauth.servlet.internal.consent.BuiltInPages;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Renders the consent page. The default, {@link #builtIn()}, is plain server-rendered HTML with no script; a host
 * replaces it with its own template by implementing this interface. Whatever renders the page, the
 * authorization server has already set the headers that refuse framing and referrers
 * ({@code Content-Security-Policy: frame-ancestors 'none'}, {@code X-Frame-Options: DENY},
 * {@code Referrer-Policy: no-referrer}, {@code Cache-Control: no-store}).
 */
@FunctionalInterface
public interface ConsentPage {

    /** Writes the page for {@code view} (status 200 is set already). */
    void render(ConsentView view, HttpServletResponse response) throws IOException;

    /** The built-in page. */
    static ConsentPage builtIn() {
        return BuiltInPages::consent;
    }
}
