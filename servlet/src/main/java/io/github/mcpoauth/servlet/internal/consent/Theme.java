package io.github.mcpoauth.servlet.internal.consent;

import java.io.PrintWriter;

/**
 * The look shared by the built-in pages: one inline style sheet (the pages' CSP allows inline style and nothing
 * else), light and dark ({@code prefers-color-scheme}), colours chosen for WCAG AA contrast (4.5:1 for text), a
 * visible focus ring, and a layout that fits a phone.
 */
final class Theme {

    static final String STYLE = ":root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1c1e21;"
            + "--muted:#505660;--line:#d9dce1;--accent:#1a56db;--accent-text:#fff;--warn-bg:#fff4d6;"
            + "--warn-text:#5c3b00;--ok:#0b6b3a;--chip:#eef1f5;--focus:#f59e0b}"
            + "@media (prefers-color-scheme:dark){:root{--bg:#111318;--card:#1c1f26;--text:#eceef2;"
            + "--muted:#b3b9c4;--line:#343a46;--accent:#8ab4ff;--accent-text:#0b1020;--warn-bg:#3a2c05;"
            + "--warn-text:#ffe3a3;--ok:#7ee2a8;--chip:#2a2f3a}}"
            + "*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--text);"
            + "font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
            + "main{max-width:34rem;margin:2.5rem auto;padding:0 1rem}"
            + ".card{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:1.75rem;"
            + "box-shadow:0 1px 3px rgba(0,0,0,.08)}"
            + ".brand{display:flex;align-items:center;gap:.6rem;color:var(--muted);font-weight:600;margin:0 0 1.25rem}"
            + ".brand img{width:32px;height:32px;border-radius:6px}"
            + ".app{display:flex;align-items:center;gap:.9rem}"
            + ".avatar{flex:none;width:48px;height:48px;border-radius:12px;background:var(--accent);"
            + "color:var(--accent-text);display:flex;align-items:center;justify-content:center;font-size:1.5rem;"
            + "font-weight:700}"
            + "h1{font-size:1.35rem;line-height:1.3;margin:0}h2{font-size:1rem;margin:1.4rem 0 .4rem}"
            + ".badge{display:inline-block;margin-top:.3rem;font-size:.85rem;color:var(--muted)}"
            + ".badge.ok{color:var(--ok)}"
            + ".warn{background:var(--warn-bg);color:var(--warn-text);border-radius:10px;padding:.75rem .9rem;"
            + "margin:1.2rem 0 0}"
            + "ul.list{list-style:none;padding:0;margin:0}ul.list li{padding:.55rem 0;border-top:1px solid var(--line)}"
            + "ul.list li:first-child{border-top:0}"
            + "code{font:.85em ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--chip);"
            + "padding:.05rem .3rem;border-radius:4px;overflow-wrap:anywhere}"
            + ".muted{color:var(--muted);font-size:.9rem}"
            + ".actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.5rem}"
            + "button{font:inherit;font-weight:600;border-radius:10px;padding:.7rem 1.3rem;cursor:pointer;"
            + "border:1px solid var(--line);background:transparent;color:var(--text)}"
            + "button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-text);"
            + "flex:1}"
            + "button:focus-visible{outline:3px solid var(--focus);outline-offset:2px}"
            + ".apps li{display:flex;gap:.9rem;align-items:flex-start}.apps .grow{flex:1;min-width:0}.apps h2{margin:0}"
            + ".notice{color:var(--ok);font-weight:600}"
            + "@media (max-width:480px){main{margin:1rem auto}.card{padding:1.2rem}"
            + ".actions{flex-direction:column-reverse}button{width:100%}}";

    private Theme() {
    }

    /** Opens the document, the {@code main} landmark and the card, with the server's brand line. */
    static void open(PrintWriter out, String language, String title, BuiltInPages.Options options) {
        out.print("<!DOCTYPE html><html lang=\"" + Html.escape(language) + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"color-scheme\" content=\"light dark\"><title>" + Html.escape(title)
                + "</title><style>" + STYLE + "</style></head><body><main><div class=\"card\">");
        if (!options.serverName().isEmpty() || options.logo() != null) {
            out.print("<p class=\"brand\">");
            if (options.logo() != null) {
                out.print("<img src=\"" + Html.escape(options.logo()) + "\" alt=\"\">");
            }
            out.print("<span>" + Html.escape(options.serverName()) + "</span></p>");
        }
    }

    /** Closes what {@link #open} opened. */
    static void close(PrintWriter out) {
        out.print("</div></main></body></html>");
    }

    /** The first letter of {@code name}, upper case, as an avatar: client logos are never loaded. */
    static String initial(String name) {
        String n = name.strip();
        return n.isEmpty() ? "?" : Html.escape(n.substring(0, n.offsetByCodePoints(0, 1)).toUpperCase());
    }
}
