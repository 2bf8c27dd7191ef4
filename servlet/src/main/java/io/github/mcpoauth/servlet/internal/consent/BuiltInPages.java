package io.github.mcpoauth.servlet.internal.consent;

import io.github.mcpoauth.servlet.consent.ConsentView;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** The built-in HTML pages: consent and the local error page. No script, inline style only. */
public final class BuiltInPages {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;"
            + "padding:0 1rem;color:#222}h1{font-size:1.4rem}code{background:#f3f3f3;padding:0 .2rem}"
            + "button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}.muted{color:#666;font-size:.9rem}";

    private BuiltInPages() {
    }

    public static void consent(ConsentView v, HttpServletResponse response) throws IOException {
        PrintWriter out = response.getWriter();
        head(out, "Authorize " + v.clientName());
        out.print("<h1><strong>" + Html.escape(v.clientName()) + "</strong> wants to access your account</h1>");
        out.print("<p>Signed in as <strong>" + Html.escape(v.subject()) + "</strong>.</p>");
        out.print("<p>After you decide, you will be sent to <strong>" + Html.escape(v.redirectHost())
                + "</strong>.</p>");
        if (!v.scopes().isEmpty()) {
            out.print("<p>It asks for:</p><ul>");
            for (String s : v.scopes()) {
                out.print("<li><code>" + Html.escape(s) + "</code></li>");
            }
            out.print("</ul>");
        }
        out.print("<p>For use with:</p><ul>");
        for (String r : v.resources()) {
            out.print("<li><code>" + Html.escape(r) + "</code></li>");
        }
        out.print("</ul>");
        out.print("<form method=\"post\" action=\"" + Html.escape(v.formAction()) + "\">");
        for (Map.Entry<String, List<String>> field : v.hiddenFields().entrySet()) {
            for (String value : field.getValue()) {
                out.print("<input type=\"hidden\" name=\"" + Html.escape(field.getKey()) + "\" value=\""
                        + Html.escape(value) + "\">");
            }
        }
        out.print("<button type=\"submit\" name=\"" + ConsentView.DECISION + "\" value=\"" + ConsentView.APPROVE
                + "\">Approve</button>");
        out.print("<button type=\"submit\" name=\"" + ConsentView.DECISION + "\" value=\"" + ConsentView.DENY
                + "\">Deny</button>");
        out.print("</form>");
        out.print("<p class=\"muted\">Client id: <code>" + Html.escape(v.clientId()) + "</code></p>");
        out.print("</body></html>");
    }

    public static void error(String title, String message, HttpServletResponse response) throws IOException {
        PrintWriter out = response.getWriter();
        head(out, title);
        out.print("<h1>" + Html.escape(title) + "</h1><p>" + Html.escape(message) + "</p></body></html>");
    }

    private static void head(PrintWriter out, String title) {
        out.print("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
                + Html.escape(title) + "</title><style>" + STYLE + "</style></head><body>");
    }
}
