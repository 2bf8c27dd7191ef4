package io.github.mcpoauth.examples.jetty;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a browser does with the example's two pages on the way of an authorization request, for programs that play
 * the browser ({@link WarmStart}, the load harness, the client tests): the demo sign-in form
 * ({@link DemoLoginServlet}) filled in with a user's name and password, or mcp-oauth's consent page answered
 * "approve"; every other field (hidden ones: the return URL, the CSRF token) sent back as the page has it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1">RFC 6749 §4.1.1 (the authorization request
 *     the pages belong to)</a>
 */
public final class BrowserForm {

    private static final Pattern FORM = Pattern.compile("<form[^>]*>.*?</form>", Pattern.DOTALL);
    private static final Pattern ACTION = Pattern.compile("action=\"([^\"]*)\"");
    private static final Pattern INPUT = Pattern.compile("<input[^>]*>");
    private static final Pattern APPROVE = Pattern.compile(
            "<button[^>]*name=\"([^\"]*)\"[^>]*value=\"(approve)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTR = Pattern.compile("(name|value)=\"([^\"]*)\"");

    /**
     * The first form of a page: where it posts to and the body a browser sends.
     *
     * @param action the URL the form posts to, resolved against the page's
     * @param body   its fields, form-encoded
     * @param signIn whether it was the sign-in form (else the consent page)
     */
    public record Submission(URI action, String body, boolean signIn) {
    }

    private BrowserForm() {
    }

    /**
     * The first form of {@code page} (read from {@code at}) as a browser submits it: a sign-in form (one with a
     * {@code password} field) with {@code username} and {@code password}, else a consent form with its approve
     * button.
     *
     * @throws IllegalStateException if the page has no form, or neither a sign-in nor an approve button
     */
    public static Submission submit(String page, URI at, String username, String password) {
        Matcher form = FORM.matcher(page);
        if (!form.find()) {
            throw new IllegalStateException("no form on the page at " + at.getPath());
        }
        String html = form.group();
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(html);
        while (input.find()) {
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher m = ATTR.matcher(input.group());
            while (m.find()) {
                attrs.put(m.group(1), unescape(m.group(2)));
            }
            if (attrs.containsKey("name")) {
                fields.put(attrs.get("name"), attrs.getOrDefault("value", ""));
            }
        }
        boolean signIn = fields.containsKey("password");
        if (signIn) {
            fields.put("username", username);
            fields.put("password", password);
        } else {
            Matcher approve = APPROVE.matcher(html);
            if (!approve.find()) {
                throw new IllegalStateException("neither sign-in nor consent form at " + at.getPath());
            }
            fields.put(approve.group(1), approve.group(2));
        }
        Matcher action = ACTION.matcher(html);
        return new Submission(action.find() ? at.resolve(unescape(action.group(1))) : at, form(fields), signIn);
    }

    /** {@code fields} form-encoded ({@code application/x-www-form-urlencoded}), in their order. */
    public static String form(Map<String, String> fields) {
        StringJoiner j = new StringJoiner("&");
        fields.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#x27;", "'").replace("&amp;", "&");
    }
}
