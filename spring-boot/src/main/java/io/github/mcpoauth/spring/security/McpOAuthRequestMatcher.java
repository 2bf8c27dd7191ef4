package io.github.mcpoauth.spring.security;

import io.github.mcpoauth.servlet.McpOAuth;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Matches exactly the requests mcp-oauth serves: the servlet and filter mappings {@link McpOAuth} installs
 * (authorization server endpoints, consent, metadata, JWKS, root aliases, protected resources and their RFC 9728
 * metadata), taken from {@link McpOAuth#mounts} and {@link McpOAuth#filters} so that it never drifts from them.
 * Matching uses the request's full decoded path (context path included), so it holds in any context.
 */
public final class McpOAuthRequestMatcher implements RequestMatcher {

    private static final Set<String> ROOT_ALIASES = Set.of("/authorize", "/token", "/register");

    private final Set<String> exact = new LinkedHashSet<>();
    private final List<String> prefixes = new ArrayList<>();

    /** The paths {@code oauth} mounts. */
    public McpOAuthRequestMatcher(McpOAuth oauth) {
        // "" : paths as seen from the server root; a context path is part of the issuer's path
        oauth.mounts("").forEach(m -> m.paths().forEach(this::add));
        oauth.filters("").forEach(f -> f.paths().forEach(this::add));
    }

    private void add(String pattern) {
        if (pattern.equals("/*") || pattern.equals("/")) {
            prefixes.add("/");
        } else if (pattern.endsWith("/*")) {
            String base = pattern.substring(0, pattern.length() - 2);
            exact.add(base);
            prefixes.add(base + "/");
        } else {
            exact.add(pattern);
        }
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        String path = path(request);
        if (exact.contains(path)) {
            // a root alias the application maps itself is left to it (McpOAuth skips it): not ours to open
            return !ROOT_ALIASES.contains(path) || servedByMcpOAuth(request);
        }
        for (String prefix : prefixes) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean servedByMcpOAuth(HttpServletRequest request) {
        HttpServletMapping mapping = request.getHttpServletMapping();
        return mapping != null && mapping.getServletName() != null
                && mapping.getServletName().startsWith("mcp-oauth-");
    }

    private static String path(HttpServletRequest request) {
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        String servlet = request.getServletPath() == null ? "" : request.getServletPath();
        String info = request.getPathInfo() == null ? "" : request.getPathInfo();
        String path = context + servlet + info;
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public String toString() {
        return "McpOAuthRequestMatcher[exact=" + exact + ", prefixes=" + prefixes + "]";
    }
}
