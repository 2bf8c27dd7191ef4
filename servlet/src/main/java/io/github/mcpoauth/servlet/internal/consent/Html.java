package io.github.mcpoauth.servlet.internal.consent;

import io.github.mcpoauth.servlet.internal.edge.EdgeWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;

/**
 * HTML helpers for pages the authorization server renders: escaping, and the response headers every page
 * carries (RFC 9700 §4.16 clickjacking; no referrer leak of codes or state).
 */
public final class Html {

    private Html() {
    }

    /** {@code s} escaped for HTML text and double-quoted attribute values. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return b.toString();
    }

    /** The languages the browser prefers ({@code Accept-Language}), most preferred first; empty if it sent none. */
    public static java.util.List<java.util.Locale> locales(jakarta.servlet.http.HttpServletRequest request) {
        return request.getHeader("Accept-Language") == null ? java.util.List.of()
                : java.util.Collections.list(request.getLocales());
    }

    /** Sets status, content type and the security headers of an HTML page. */
    public static void prepare(HttpServletResponse response, int status) {
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; "
                        + "base-uri 'none'");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
        EdgeWriter.noStore(response);
    }

    /** Writes the built-in error page with {@code status}. */
    public static void errorPage(HttpServletResponse response, int status, String title, String message)
            throws java.io.IOException {
        prepare(response, status);
        BuiltInPages.error(title, message, response);
    }

    /**
     * Whether a state-changing form post came from this site: not {@code Sec-Fetch-Site: cross-site}, and an
     * {@code Origin}, if sent, that is the issuer's or this request's own. Our pages' {@code Referrer-Policy:
     * no-referrer} makes browsers send {@code Origin: null}: then only {@code Sec-Fetch-Site: same-origin} will do.
     */
    public static boolean sameOrigin(HttpServletRequest req, URI issuer) {
        String fetchSite = req.getHeader("Sec-Fetch-Site");
        if (fetchSite != null && fetchSite.equalsIgnoreCase("cross-site")) {
            return false;
        }
        String origin = req.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        if (origin.equals("null")) {
            return fetchSite != null && fetchSite.equalsIgnoreCase("same-origin");
        }
        String issuerOrigin = issuer.getScheme() + "://" + issuer.getRawAuthority();
        int port = req.getServerPort();
        boolean defaultPort = (req.getScheme().equals("https") && port == 443)
                || (req.getScheme().equals("http") && port == 80);
        String own = req.getScheme() + "://" + req.getServerName() + (defaultPort ? "" : ":" + port);
        return origin.equalsIgnoreCase(issuerOrigin) || origin.equalsIgnoreCase(own);
    }
}
