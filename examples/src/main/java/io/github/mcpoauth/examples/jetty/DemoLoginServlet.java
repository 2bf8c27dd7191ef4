package io.github.mcpoauth.examples.jetty;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * A self-contained demo login page: plain HTML form (no JavaScript) with the fields {@code username} and
 * {@code password}.
 *
 * <ul>
 *   <li>{@code GET /login?return=/some/path} shows the form.</li>
 *   <li>{@code POST /login} checks the credentials against {@link DemoUsers}; on success it renews the session id,
 *       stores the username in the session attribute {@value #SESSION_USER} and answers {@code 303 See Other} to
 *       the {@code return} parameter. That parameter must be a relative path starting with {@code /} (not
 *       {@code //}, no backslash, no control characters); anything else falls back to {@code /}.</li>
 * </ul>
 *
 * <p>The form carries a per-session anti-CSRF token in the hidden field {@value #CSRF_FIELD} (login CSRF).
 * It will be plugged into the library's login SPI later; until then it stands alone.
 */
public class DemoLoginServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Session attribute holding the logged-in username. */
    public static final String SESSION_USER = "mcp-oauth.example.user";

    /** Hidden form field and session attribute with the anti-CSRF token. */
    public static final String CSRF_FIELD = "csrf";
    static final String SESSION_CSRF = "mcp-oauth.example.login-csrf";

    public static final String RETURN_PARAM = "return";

    /** Context attribute: "sign in with" links (label → start URL without {@code return}), set when configured. */
    public static final String SIGN_IN_WITH = "mcp-oauth.example.signInWith";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final transient DemoUsers users;

    public DemoLoginServlet(DemoUsers users) {
        this.users = Objects.requireNonNull(users, "users");
    }

    /** The logged-in demo user of this request's session, or {@code null}. */
    public static String currentUser(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? null : (String) session.getAttribute(SESSION_USER);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String returnTo = safeReturnPath(req.getParameter(RETURN_PARAM));
        renderForm(req, resp, HttpServletResponse.SC_OK, returnTo, "", null);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        req.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String returnTo = safeReturnPath(req.getParameter(RETURN_PARAM));
        String username = req.getParameter("username");
        String password = req.getParameter("password");

        HttpSession session = req.getSession(false);
        String expectedCsrf = session == null ? null : (String) session.getAttribute(SESSION_CSRF);
        if (!tokenMatches(expectedCsrf, req.getParameter(CSRF_FIELD))) {
            renderForm(req, resp, HttpServletResponse.SC_FORBIDDEN, returnTo, username,
                    "Your login form expired. Please try again.");
            return;
        }

        String user = users.authenticate(username, password).orElse(null);
        if (user == null) {
            renderForm(req, resp, HttpServletResponse.SC_OK, returnTo, username, "Wrong username or password.");
            return;
        }

        req.changeSessionId(); // session fixation
        HttpSession s = req.getSession();
        s.setAttribute(SESSION_USER, user);
        s.removeAttribute(SESSION_CSRF);

        resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
        resp.setHeader("Location", returnTo);
        resp.setHeader("Cache-Control", "no-store");
    }

    /**
     * Returns {@code candidate} if it is a safe same-origin relative path, otherwise {@code "/"}.
     * Safe means: starts with a single {@code /}, contains no backslash and no control or whitespace characters
     * (browsers strip tabs/newlines, turning {@code /\t/evil} into {@code //evil}).
     */
    public static String safeReturnPath(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > 4096) {
            return "/";
        }
        if (candidate.charAt(0) != '/' || candidate.startsWith("//")) {
            return "/";
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c == '\\' || c <= 0x20 || c == 0x7f) {
                return "/";
            }
        }
        return candidate;
    }

    private void renderForm(HttpServletRequest req, HttpServletResponse resp, int status, String returnTo,
                            String username, String error) throws IOException {
        HttpSession session = req.getSession(true);
        String csrf = (String) session.getAttribute(SESSION_CSRF);
        if (csrf == null) {
            csrf = randomToken();
            session.setAttribute(SESSION_CSRF, csrf);
        }
        resp.setStatus(status);
        resp.setContentType("text/html;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
        resp.setHeader("Referrer-Policy", "no-referrer");
        String action = req.getContextPath() + req.getServletPath();
        PrintWriter w = resp.getWriter();
        w.println("<!DOCTYPE html>");
        w.println("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in</title>");
        w.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        w.println("<style>body{font-family:sans-serif;max-width:22rem;margin:4rem auto}"
                + "label{display:block;margin:.6rem 0}"
                + "input{width:100%;padding:.4rem}.error{color:#b00}.hint{color:#666;font-size:.85rem}</style>");
        w.println("</head><body>");
        w.println("<h1>Sign in</h1>");
        // "sign in with" the upstream OpenID providers the example was configured with (UpstreamLoginExample)
        if (req.getServletContext().getAttribute(SIGN_IN_WITH) instanceof java.util.Map<?, ?> providers) {
            for (java.util.Map.Entry<?, ?> p : providers.entrySet()) {
                w.println("<p><a href=\"" + escape(p.getValue() + "&" + RETURN_PARAM + "="
                        + java.net.URLEncoder.encode(returnTo, java.nio.charset.StandardCharsets.UTF_8))
                        + "\">Sign in with " + escape(String.valueOf(p.getKey())) + "</a></p>");
            }
        }
        if (error != null) {
            w.println("<p class=\"error\" role=\"alert\">" + escape(error) + "</p>");
        }
        w.println("<form id=\"login\" method=\"post\" action=\"" + escape(action) + "\">");
        w.println("<input type=\"hidden\" name=\"" + CSRF_FIELD + "\" value=\"" + escape(csrf) + "\">");
        w.println("<input type=\"hidden\" name=\"" + RETURN_PARAM + "\" value=\"" + escape(returnTo) + "\">");
        w.println("<label>Username <input type=\"text\" name=\"username\" autocomplete=\"username\" required value=\""
                + escape(username == null ? "" : username) + "\"></label>");
        w.println("<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\""
                + " required></label>");
        w.println("<button type=\"submit\">Sign in</button>");
        w.println("</form>");
        w.println("<p class=\"hint\">Demo accounts: alice / alice-password, bob / bob-password.</p>");
        w.println("</body></html>");
    }

    /** {@code s} escaped for HTML text and double-quoted attribute values (a host's own helper: not mcp-oauth API). */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
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

    private static boolean tokenMatches(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                actual.getBytes(StandardCharsets.UTF_8));
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
