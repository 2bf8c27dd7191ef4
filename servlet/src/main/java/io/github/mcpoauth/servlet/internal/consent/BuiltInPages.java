package io.github.mcpoauth.servlet.internal.consent;

import io.github.mcpoauth.servlet.consent.ConsentPage;
import io.github.mcpoauth.servlet.consent.ConsentView;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The built-in HTML pages: consent, connected apps and the local error page. No script, inline style only
 * ({@link Theme}), texts by {@code Accept-Language} ({@link Messages}); client logos are never loaded.
 */
public final class BuiltInPages implements ConsentPage {

    /**
     * The built-in pages' settings.
     *
     * @param serverName the server's name shown on each page, empty for none
     * @param logo a path on this server or a {@code data:image/} URI, or {@code null}
     * @param scopeDescriptions the host's descriptions of its scopes
     */
    public record Options(String serverName, String logo, Map<String, String> scopeDescriptions) {

        /** Checks the logo is a source the pages' CSP allows, and copies the map. */
        public Options {
            Objects.requireNonNull(serverName, "serverName");
            if (logo != null && !(logo.startsWith("/") && !logo.startsWith("//") || logo.startsWith("data:image/"))) {
                throw new IllegalArgumentException("logo must be a path on this server (starting with /) or a"
                        + " data:image/ URI: the pages' Content-Security-Policy allows no other image source");
            }
            scopeDescriptions = Map.copyOf(Objects.requireNonNull(scopeDescriptions, "scopeDescriptions"));
        }
    }

    /** The unbranded built-in pages. */
    public static final BuiltInPages DEFAULT = new BuiltInPages(new Options("", null, Map.of()));

    private final Options options;

    /** The built-in pages with {@code options}. */
    public BuiltInPages(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void render(ConsentView v, HttpServletResponse response) throws IOException {
        Messages m = Messages.forLocales(v.locales());
        PrintWriter out = response.getWriter();
        String name = Html.escape(v.clientName());
        Theme.open(out, m.language(), m.get("consent.title", v.clientName()), options);
        out.print("<div class=\"app\"><div class=\"avatar\" aria-hidden=\"true\">" + Theme.initial(v.clientName())
                + "</div><div><h1>" + m.get("consent.heading", "<strong>" + name + "</strong>") + "</h1>");
        if (v.verifiedHost().isPresent()) {
            out.print("<span class=\"badge ok\">&#10003; " + m.get("consent.verified",
                    "<strong>" + Html.escape(v.verifiedHost().get()) + "</strong>") + "</span>");
        } else {
            out.print("<span class=\"badge\">" + m.get("consent.unverified") + "</span>");
        }
        out.print("</div></div>");
        out.print("<p class=\"muted\">" + m.get("consent.signedIn", "<strong>" + Html.escape(v.subject())
                + "</strong>") + "</p>");
        if (v.redirectsToThisMachine()) {
            out.print("<p class=\"warn\" role=\"note\">&#9888; " + m.get("consent.loopback",
                    "<strong>" + Html.escape(v.redirectHost()) + "</strong>") + "</p>");
        }
        if (!v.scopes().isEmpty()) {
            out.print("<h2>" + m.get("consent.asks") + "</h2><ul class=\"list\">");
            for (String s : v.scopes()) {
                out.print("<li>" + scopeDescription(m, s) + " <code>" + Html.escape(s) + "</code></li>");
            }
            out.print("</ul>");
        }
        out.print("<h2>" + m.get("consent.resources") + "</h2><ul class=\"list\">");
        for (String r : v.resources()) {
            out.print("<li><code>" + Html.escape(r) + "</code></li>");
        }
        out.print("</ul>");
        if (!v.redirectsToThisMachine()) {
            out.print("<p class=\"muted\">" + m.get("consent.redirect", "<strong>" + Html.escape(v.redirectHost())
                    + "</strong>") + "</p>");
        }
        out.print("<form method=\"post\" action=\"" + Html.escape(v.formAction()) + "\">");
        for (Map.Entry<String, List<String>> field : v.hiddenFields().entrySet()) {
            for (String value : field.getValue()) {
                hidden(out, field.getKey(), value);
            }
        }
        // Primary action first in focus order; on a phone it is shown at the bottom, nearest the thumb.
        out.print("<div class=\"actions\"><button class=\"primary\" type=\"submit\" name=\"" + ConsentView.DECISION
                + "\" value=\"" + ConsentView.APPROVE + "\">" + m.get("consent.approve") + "</button>");
        out.print("<button type=\"submit\" name=\"" + ConsentView.DECISION + "\" value=\"" + ConsentView.DENY
                + "\">" + m.get("consent.deny") + "</button></div></form>");
        out.print("<p class=\"muted\">" + m.get("consent.manage") + "</p>");
        out.print("<p class=\"muted\">" + m.get("consent.clientId") + ": <code>" + Html.escape(v.clientId())
                + "</code></p>");
        Theme.close(out);
    }

    @Override
    public void renderConnectedApps(ConnectedAppsView v, HttpServletResponse response) throws IOException {
        Messages m = Messages.forLocales(v.locales());
        DateTimeFormatter dates = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM)
                .withLocale(Locale.forLanguageTag(m.language())).withZone(ZoneOffset.UTC);
        PrintWriter out = response.getWriter();
        Theme.open(out, m.language(), m.get("apps.title"), options);
        out.print("<h1>" + m.get("apps.title") + "</h1>");
        out.print("<p class=\"muted\">" + m.get("consent.signedIn", "<strong>" + Html.escape(v.subject())
                + "</strong>") + "</p>");
        if (v.revokedJustNow()) {
            out.print("<p class=\"notice\" role=\"status\">" + m.get("apps.revoked") + "</p>");
        }
        if (v.apps().isEmpty()) {
            out.print("<p>" + m.get("apps.none") + "</p>");
            Theme.close(out);
            return;
        }
        out.print("<p>" + m.get("apps.intro") + "</p><ul class=\"list apps\">");
        for (ConnectedApp a : v.apps()) {
            out.print("<li><div class=\"avatar\" aria-hidden=\"true\">" + Theme.initial(a.clientName())
                    + "</div><div class=\"grow\"><h2>" + Html.escape(a.clientName()) + "</h2>");
            out.print("<span class=\"badge" + (a.verifiedHost().isPresent() ? " ok\">&#10003; "
                    + m.get("consent.verified", "<strong>" + Html.escape(a.verifiedHost().get()) + "</strong>")
                    : "\">" + m.get("consent.unverified")) + "</span>");
            out.print("<p class=\"muted\">");
            for (String s : a.scopes()) {
                out.print(scopeDescription(m, s) + " <code>" + Html.escape(s) + "</code><br>");
            }
            for (String r : a.resources()) {
                out.print("<code>" + Html.escape(r) + "</code><br>");
            }
            out.print(m.get("apps.firstUse") + ": " + Html.escape(dates.format(a.firstUsed())) + "<br>"
                    + m.get("apps.lastUse") + ": " + Html.escape(dates.format(a.lastUsed())));
            if (a.logoHost().isPresent()) {
                out.print("<br>" + m.get("apps.logoHost") + " " + Html.escape(a.logoHost().get()));
            }
            out.print("</p><form method=\"post\" action=\"" + Html.escape(v.formAction()) + "\">");
            v.hiddenFields().forEach((k, val) -> hidden(out, k, val));
            hidden(out, GRANT_ID, a.grantId());
            out.print("<button type=\"submit\" aria-label=\"" + Html.escape(m.get("apps.revoke", a.clientName()))
                    + "\">" + m.get("apps.revokeShort") + "</button></form></div></li>");
        }
        out.print("</ul>");
        Theme.close(out);
    }

    /** Writes the local error page's body (headers and status are set by the caller). */
    public static void error(String title, String message, HttpServletResponse response) throws IOException {
        PrintWriter out = response.getWriter();
        Theme.open(out, "en", title, DEFAULT.options);
        out.print("<h1>" + Html.escape(title) + "</h1><p>" + Html.escape(message) + "</p>");
        Theme.close(out);
    }

    private String scopeDescription(Messages m, String scope) {
        String custom = options.scopeDescriptions().get(scope);
        if (custom != null) {
            return Html.escape(custom);
        }
        return m.has("scope." + scope) ? m.get("scope." + scope) : m.get("scope.other", "");
    }

    private static void hidden(PrintWriter out, String name, String value) {
        out.print("<input type=\"hidden\" name=\"" + Html.escape(name) + "\" value=\"" + Html.escape(value) + "\">");
    }
}
