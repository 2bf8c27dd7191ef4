package io.github.mcpoauth.servlet;

import io.github.mcpoauth.core.resource.ProtectedResourceMetadataDocument;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.servlet.McpOAuth.Mount;
import io.github.mcpoauth.servlet.internal.guard.ProtectedResourceMetadataServlet;
import jakarta.servlet.Servlet;
import java.util.ArrayList;
import java.util.List;
import java.net.URI;

/**
 * The well-known documents that belong at the host's root when the application lives under a context path: RFC
 * 9728 puts the metadata of {@code https://host/app/mcp} at {@code /.well-known/oauth-protected-resource/app/mcp}
 * and RFC 8414 the metadata of the issuer {@code https://host/app} at
 * {@code /.well-known/oauth-authorization-server/app}, both outside the {@code /app} context.
 *
 * <p>At start, {@link #requireServed} refuses a deployment under a context path whose protected resource metadata
 * nobody serves, with a message saying what to add; {@link #rootMounts} is what the root context then serves.
 */
final class RootWellKnown {

    private RootWellKnown() {
    }

    /**
     * Fails at start when {@code contextPath} is not the root, a resource is guarded here, and the host has not
     * declared that it serves the metadata at the root (a root initializer, or a proxy route).
     *
     * @param rootHook what the host calls to serve the root documents, named in the message
     */
    static void requireServed(String contextPath, List<ProtectedResourceSettings> guarded, boolean servedAtRoot,
            String rootHook) {
        if (contextPath == null || contextPath.isEmpty() || servedAtRoot) {
            return;
        }
        for (ProtectedResourceSettings resource : guarded) {
            String path = ProtectedResourceMetadataDocument.of(resource).path();
            if (!path.startsWith(contextPath + "/")) {
                throw new IllegalStateException("RFC 9728 puts the protected resource metadata of "
                        + resource.resource() + " at " + path + ", outside this application's context path "
                        + contextPath + ", where MCP clients look for it (they would get 404). Serve it from the "
                        + "root context with " + rootHook + " (Tomcat: the ROOT context; Jetty: a context at /), or "
                        + "route " + ProtectedResourceSettings.WELL_KNOWN + "/* to " + contextPath
                        + ProtectedResourceSettings.WELL_KNOWN + "/* on your proxy, and declare it with "
                        + "wellKnownAtRoot(true) on the builder. See docs/deployment.md.");
            }
        }
    }

    /**
     * The servlets of the root context: the protected resource metadata of {@code guarded} at its well-known paths
     * and, if given, the authorization server metadata at those of {@code asWellKnownPaths} that lie outside the
     * issuer's path.
     */
    static List<Mount> rootMounts(String contextPath, MountTable table, List<ProtectedResourceSettings> guarded,
            Servlet asMetadata, List<String> asWellKnownPaths, URI issuer) {
        String issuerPath = issuer.getRawPath() == null ? "" : issuer.getRawPath();
        if (contextPath != null && !contextPath.isEmpty()) {
            throw new IllegalStateException("the root initializer belongs in the root context, not in " + contextPath);
        }
        List<Mount> mounts = new ArrayList<>();
        if (!guarded.isEmpty()) {
            mounts.add(new Mount(table.name("root-resource-metadata"), ProtectedResourceMetadataServlet.of(guarded),
                    ProtectedResourceMetadataServlet.URL_PATTERNS));
        }
        List<String> outside = asWellKnownPaths.stream()
                .filter(p -> issuerPath.isEmpty() || !p.startsWith(issuerPath + "/")).toList();
        if (!issuerPath.isEmpty() && !outside.isEmpty()) {
            mounts.add(new Mount(table.name("root-metadata"), asMetadata, outside));
        }
        return List.copyOf(mounts);
    }
}
