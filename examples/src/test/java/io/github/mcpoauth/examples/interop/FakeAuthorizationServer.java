package io.github.mcpoauth.examples.interop;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

import io.github.mcpoauth.examples.jetty.AuthorizationInstaller;
import io.github.mcpoauth.examples.jetty.DemoLoginServlet;
import io.github.mcpoauth.examples.jetty.ExampleServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * <strong>Test double, not the library.</strong> A deliberately small OAuth 2.1 authorization server + bearer
 * guard, just complete enough (RFC 9728 protected resource metadata, RFC 8414 metadata, RFC 7591 registration,
 * authorization code + PKCE S256 with login via {@link DemoLoginServlet} and a consent form, RFC 9207 {@code iss},
 * refresh token rotation) to exercise the interop script's OAuth path against the real MCP TypeScript SDK before
 * mcp-oauth is wired into the example. Delete it once {@code ExampleServer.installAuthorization} uses the library.
 *
 * <p>Its consent page uses the markup the script expects by default: a POST form with a submit button
 * {@code name="decision" value="approve"}.
 */
final class FakeAuthorizationServer implements AuthorizationInstaller {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SCOPE = "mcp";
    private static final Duration ACCESS_TOKEN_TTL = Duration.ofMinutes(5);

    private record Client(String clientId, List<String> redirectUris) { }

    private record Pending(String clientId, String redirectUri, String state, String challenge, String resource,
                           String scope) { }

    private record CodeGrant(Pending request, String user, Instant expires) { }

    private record Grant(String user, String clientId, String scope, String resource, Instant expires) { }

    record UserPrincipal(String getName) implements Principal { }

    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, CodeGrant> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();

    private String issuer;
    private String resource;
    private String prmUrl;

    @Override
    public void install(ServletContextHandler ctx, URI issuerUri) {
        this.issuer = issuerUri.toString();
        this.resource = issuer + ExampleServer.MCP_PATH;
        this.prmUrl = issuer + "/.well-known/oauth-protected-resource" + ExampleServer.MCP_PATH;

        ctx.addServlet(new ServletHolder("fake-prm", servlet(this::protectedResourceMetadata)),
                "/.well-known/oauth-protected-resource" + ExampleServer.MCP_PATH);
        ctx.addServlet(new ServletHolder("fake-asm", servlet(this::authorizationServerMetadata)),
                "/.well-known/oauth-authorization-server");
        ctx.addServlet(new ServletHolder("fake-register", servlet(this::register)), "/register");
        ctx.addServlet(new ServletHolder("fake-authorize", servlet(this::authorize)), "/authorize");
        ctx.addServlet(new ServletHolder("fake-token", servlet(this::token)), "/token");
        ctx.addFilter(new FilterHolder(new BearerGuard()), ExampleServer.MCP_PATH, EnumSet.of(DispatcherType.REQUEST));
    }

    // ---- metadata -------------------------------------------------------------------------------------------

    private void protectedResourceMetadata(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        requireMethod(req, "GET");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", resource);
        m.put("authorization_servers", List.of(issuer));
        m.put("scopes_supported", List.of(SCOPE));
        m.put("bearer_methods_supported", List.of("header"));
        json(resp, 200, m);
    }

    private void authorizationServerMetadata(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        requireMethod(req, "GET");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("authorization_endpoint", issuer + "/authorize");
        m.put("token_endpoint", issuer + "/token");
        m.put("registration_endpoint", issuer + "/register");
        m.put("scopes_supported", List.of(SCOPE));
        m.put("response_types_supported", List.of("code"));
        m.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        m.put("token_endpoint_auth_methods_supported", List.of("none"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("authorization_response_iss_parameter_supported", true);
        json(resp, 200, m);
    }

    // ---- registration ---------------------------------------------------------------------------------------

    private void register(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        requireMethod(req, "POST");
        JsonNode body = JSON.readTree(req.getInputStream());
        List<String> redirectUris = new ArrayList<>();
        body.path("redirect_uris").forEach(n -> redirectUris.add(n.asText()));
        if (redirectUris.isEmpty()) {
            json(resp, 400, Map.of("error", "invalid_redirect_uri", "error_description", "redirect_uris required"));
            return;
        }
        String authMethod = body.path("token_endpoint_auth_method").asText("client_secret_basic");
        if (!"none".equals(authMethod)) {
            json(resp, 400, Map.of("error", "invalid_client_metadata",
                    "error_description", "this test double only registers public clients"));
            return;
        }
        Client client = new Client("fake-" + random(), List.copyOf(redirectUris));
        clients.put(client.clientId(), client);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", client.clientId());
        out.put("client_id_issued_at", Instant.now().getEpochSecond());
        out.put("redirect_uris", client.redirectUris());
        out.put("token_endpoint_auth_method", "none");
        out.put("grant_types", List.of("authorization_code", "refresh_token"));
        out.put("response_types", List.of("code"));
        if (body.hasNonNull("client_name")) {
            out.put("client_name", body.get("client_name").asText());
        }
        if (body.hasNonNull("scope")) {
            out.put("scope", body.get("scope").asText());
        }
        json(resp, 201, out);
    }

    // ---- authorization endpoint -----------------------------------------------------------------------------

    private void authorize(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if ("POST".equals(req.getMethod())) {
            decide(req, resp);
            return;
        }
        requireMethod(req, "GET");
        Client client = clients.get(nullToEmpty(req.getParameter("client_id")));
        String redirectUri = req.getParameter("redirect_uri");
        if (client == null || redirectUri == null || !client.redirectUris().contains(redirectUri)) {
            html(resp, 400, "<p>Unknown client or redirect_uri.</p>");
            return;
        }
        String state = req.getParameter("state");
        if (!"code".equals(req.getParameter("response_type"))
                || !"S256".equals(req.getParameter("code_challenge_method"))
                || req.getParameter("code_challenge") == null) {
            redirectError(resp, redirectUri, state, "invalid_request");
            return;
        }
        String requestedResource = req.getParameter("resource");
        if (requestedResource != null && !requestedResource.equals(resource)) {
            redirectError(resp, redirectUri, state, "invalid_target");
            return;
        }
        String user = DemoLoginServlet.currentUser(req);
        if (user == null) {
            String back = req.getRequestURI() + "?" + req.getQueryString();
            resp.setStatus(302);
            resp.setHeader("Location", ExampleServer.LOGIN_PATH + "?return="
                    + URLEncoder.encode(back, StandardCharsets.UTF_8));
            return;
        }
        Pending pending = new Pending(client.clientId(), redirectUri, state, req.getParameter("code_challenge"),
                requestedResource, req.getParameter("scope"));
        String requestId = random();
        String csrf = random();
        HttpSession session = req.getSession();
        session.setAttribute("fake.pending." + requestId, pending);
        session.setAttribute("fake.csrf." + requestId, csrf);
        html(resp, 200, "<h1>Authorize access</h1>"
                + "<p><strong>" + esc(user) + "</strong>, allow <em>" + esc(client.clientId())
                + "</em> to use the MCP server"
                + " (scope " + esc(String.valueOf(pending.scope())) + ")?</p>"
                + "<form method=\"post\" action=\"/authorize\">"
                + "<input type=\"hidden\" name=\"request_id\" value=\"" + esc(requestId) + "\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">"
                + "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button> "
                + "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>"
                + "</form>");
    }

    private void decide(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession(false);
        String requestId = nullToEmpty(req.getParameter("request_id"));
        Pending pending = session == null ? null : (Pending) session.getAttribute("fake.pending." + requestId);
        String csrf = session == null ? null : (String) session.getAttribute("fake.csrf." + requestId);
        String user = DemoLoginServlet.currentUser(req);
        if (pending == null || user == null || csrf == null || !csrf.equals(req.getParameter("csrf"))) {
            html(resp, 400, "<p>Stale or forged consent request.</p>");
            return;
        }
        session.removeAttribute("fake.pending." + requestId);
        session.removeAttribute("fake.csrf." + requestId);
        if (!"approve".equals(req.getParameter("decision"))) {
            redirectError(resp, pending.redirectUri(), pending.state(), "access_denied");
            return;
        }
        String code = random();
        codes.put(code, new CodeGrant(pending, user, Instant.now().plusSeconds(60)));
        StringBuilder location = new StringBuilder(pending.redirectUri())
                .append(pending.redirectUri().contains("?") ? '&' : '?')
                .append("code=").append(enc(code))
                .append("&iss=").append(enc(issuer));
        if (pending.state() != null) {
            location.append("&state=").append(enc(pending.state()));
        }
        resp.setStatus(303);
        resp.setHeader("Location", location.toString());
    }

    private void redirectError(HttpServletResponse resp, String redirectUri, String state, String error) {
        resp.setStatus(303);
        resp.setHeader("Location", redirectUri + (redirectUri.contains("?") ? "&" : "?") + "error=" + enc(error)
                + "&iss=" + enc(issuer) + (state == null ? "" : "&state=" + enc(state)));
    }

    // ---- token endpoint -------------------------------------------------------------------------------------

    private void token(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        requireMethod(req, "POST");
        resp.setHeader("Cache-Control", "no-store");
        String clientId = nullToEmpty(req.getParameter("client_id"));
        if (!clients.containsKey(clientId)) {
            json(resp, 401, Map.of("error", "invalid_client"));
            return;
        }
        String requestedResource = req.getParameter("resource");
        if (requestedResource != null && !requestedResource.equals(resource)) {
            json(resp, 400, Map.of("error", "invalid_target"));
            return;
        }
        switch (nullToEmpty(req.getParameter("grant_type"))) {
            case "authorization_code" -> {
                CodeGrant grant = codes.remove(nullToEmpty(req.getParameter("code")));
                if (grant == null || grant.expires().isBefore(Instant.now())
                        || !grant.request().clientId().equals(clientId)
                        || !grant.request().redirectUri().equals(req.getParameter("redirect_uri"))
                        || !s256(nullToEmpty(req.getParameter("code_verifier"))).equals(grant.request().challenge())) {
                    json(resp, 400, Map.of("error", "invalid_grant"));
                    return;
                }
                issueTokens(resp, grant.user(), clientId, grant.request().scope(), grant.request().resource());
            }
            case "refresh_token" -> {
                Grant grant = refreshTokens.remove(nullToEmpty(req.getParameter("refresh_token")));
                if (grant == null || !grant.clientId().equals(clientId)) {
                    json(resp, 400, Map.of("error", "invalid_grant"));
                    return;
                }
                issueTokens(resp, grant.user(), clientId, grant.scope(), grant.resource());
            }
            default -> json(resp, 400, Map.of("error", "unsupported_grant_type"));
        }
    }

    private void issueTokens(HttpServletResponse resp, String user, String clientId, String scope, String res)
            throws IOException {
        String access = random();
        String refresh = random();
        accessTokens.put(access, new Grant(user, clientId, scope, res, Instant.now().plus(ACCESS_TOKEN_TTL)));
        refreshTokens.put(refresh, new Grant(user, clientId, scope, res, Instant.now().plus(Duration.ofDays(1))));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", access);
        out.put("token_type", "Bearer");
        out.put("expires_in", ACCESS_TOKEN_TTL.toSeconds());
        out.put("refresh_token", refresh);
        if (scope != null) {
            out.put("scope", scope);
        }
        json(resp, 200, out);
    }

    // ---- resource server ------------------------------------------------------------------------------------

    private final class BearerGuard extends HttpFilter {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
                throws IOException, ServletException {
            String header = req.getHeader("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                challenge(resp, null);
                return;
            }
            Grant grant = accessTokens.get(header.substring(7).trim());
            if (grant == null || grant.expires().isBefore(Instant.now())) {
                challenge(resp, "invalid_token");
                return;
            }
            Principal principal = new UserPrincipal(grant.user());
            chain.doFilter(new HttpServletRequestWrapper(req) {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }

                @Override
                public String getRemoteUser() {
                    return principal.getName();
                }

                @Override
                public String getAuthType() {
                    return "Bearer";
                }
            }, resp);
        }

        private void challenge(HttpServletResponse resp, String error) throws IOException {
            resp.setHeader("WWW-Authenticate", "Bearer resource_metadata=\"" + prmUrl + "\""
                    + (error == null ? "" : ", error=\"" + error + "\"") + ", scope=\"" + SCOPE + "\"");
            json(resp, 401, Map.of("error", error == null ? "unauthorized" : error));
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Handler {
        void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException;
    }

    private static final class MethodNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static HttpServlet servlet(Handler handler) {
        return new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                try {
                    handler.handle(req, resp);
                } catch (MethodNotAllowed e) {
                    resp.sendError(405);
                }
            }
        };
    }

    private static void requireMethod(HttpServletRequest req, String method) {
        if (!method.equals(req.getMethod())) {
            throw new MethodNotAllowed();
        }
    }

    private static void json(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json;charset=UTF-8");
        JSON.writeValue(resp.getOutputStream(), body);
    }

    private static void html(HttpServletResponse resp, int status, String body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/html;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().print("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Fake AS</title>"
                + "</head><body>" + body + "</body></html>");
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
