package io.github.mcpoauth.servlet.testing;

import io.github.mcpoauth.servlet.internal.consent.Html;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.Map;

/** A plain HTML form login for tests: fields {@code username}, {@code password}, {@code return}. */
public final class TestLoginServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Map<String, String> users;
    private final String attribute;

    /** A login for {@code users} (name to password), storing the name in session {@code attribute}. */
    public TestLoginServlet(Map<String, String> users, String attribute) {
        this.users = Map.copyOf(users);
        this.attribute = attribute;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Html.prepare(resp, 200);
        resp.getWriter().print("<!DOCTYPE html><html><body><form method=\"post\" action=\"/login\">"
                + "<input type=\"hidden\" name=\"return\" value=\"" + Html.escape(req.getParameter("return")) + "\">"
                + "<input name=\"username\"><input name=\"password\" type=\"password\">"
                + "<button type=\"submit\">Sign in</button></form></body></html>");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String user = req.getParameter("username");
        String password = req.getParameter("password");
        String ret = req.getParameter("return");
        if (user == null || password == null || !password.equals(users.get(user))) {
            resp.sendError(401);
            return;
        }
        if (req.getSession(false) != null) {
            req.changeSessionId(); // no session fixation
        }
        req.getSession(true).setAttribute(attribute, user);
        boolean safe = ret != null && ret.startsWith("/") && !ret.startsWith("//") && !ret.contains("\\");
        resp.setStatus(303);
        resp.setHeader("Location", safe ? ret : "/");
    }
}
