package io.github.mcpoauth.servlet.internal.login;

import io.github.mcpoauth.servlet.internal.consent.Html;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The "sign in with …" page shown when several upstream providers are configured: one link per provider, no
 * script, the security headers of the consent page ({@link Html#prepare}: no framing, no referrer, no caching).
 */
final class ChooserPage {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;"
            + "padding:0 1rem;color:#222}h1{font-size:1.4rem}ul{list-style:none;padding:0}li{margin:.6rem 0}"
            + "a{display:block;padding:.7rem 1rem;border:1px solid #888;border-radius:.4rem;color:#222;"
            + "text-decoration:none}a:hover,a:focus{background:#f0f0f0}"
            + "@media (prefers-color-scheme:dark){body{background:#111;color:#eee}a{color:#eee}"
            + "a:hover,a:focus{background:#333}}";

    private ChooserPage() {
    }

    static void write(HttpServletResponse response, String startPath, Map<String, UpstreamProvider> providers,
            String returnTo) throws IOException {
        Html.prepare(response, 200);
        PrintWriter out = response.getWriter();
        out.print("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Sign in</title>"
                + "<style>" + STYLE + "</style></head><body><main><h1>Sign in</h1><ul>");
        String back = URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
        for (UpstreamProvider p : providers.values()) {
            String href = startPath + "?provider=" + URLEncoder.encode(p.settings().id(), StandardCharsets.UTF_8)
                    + "&return=" + back;
            out.print("<li><a href=\"" + Html.escape(href) + "\">Sign in with "
                    + Html.escape(p.settings().displayName()) + "</a></li>");
        }
        out.print("</ul></main></body></html>");
    }
}
