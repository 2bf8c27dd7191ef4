package io.github.mcpoauth.servlet.internal.guard;

import io.github.mcpoauth.core.resource.ProtectedResourceMetadataDocument;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.servlet.internal.edge.EdgeReader;
import io.github.mcpoauth.servlet.internal.edge.EdgeWriter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Serves the OAuth 2.0 Protected Resource Metadata of one or more resources (RFC 9728 §3), to map on
 * {@link #URL_PATTERNS} ({@code /.well-known/oauth-protected-resource} and
 * {@code /.well-known/oauth-protected-resource/*}).
 *
 * <p>Each resource's document is served at its path-suffixed well-known path (RFC 9728 §3.1), e.g.
 * {@code /.well-known/oauth-protected-resource/mcp} for {@code https://example.com/mcp}. The root path
 * {@code /.well-known/oauth-protected-resource}, which MCP clients try when the suffixed one is missing, serves
 * the first resource's document. Both are matched against the request URI as received and relative to the
 * context path, so the servlet works in the root context and behind a proxy that strips a prefix; RFC 9728 wants
 * the well-known path at the host's root, so a webapp in a non-root context needs the host to route it there.
 *
 * <p>The documents are public: {@code Cache-Control: public, max-age=3600} and
 * {@code Access-Control-Allow-Origin: *} (browser-based MCP clients fetch them cross-origin). {@code GET} and
 * {@code HEAD} only.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728#section-3">RFC 9728 §3</a>
 */
public final class ProtectedResourceMetadataServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The URL patterns to map this servlet on. */
    public static final List<String> URL_PATTERNS = List.of(ProtectedResourceSettings.WELL_KNOWN,
            ProtectedResourceSettings.WELL_KNOWN + "/*");

    private final transient Map<String, byte[]> documents;
    private final transient byte[] rootDocument;

    private ProtectedResourceMetadataServlet(List<ProtectedResourceSettings> resources) {
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("at least one resource is required");
        }
        Map<String, byte[]> byPath = new LinkedHashMap<>();
        for (ProtectedResourceSettings s : resources) {
            ProtectedResourceMetadataDocument doc = ProtectedResourceMetadataDocument.of(s);
            if (byPath.put(doc.path(), doc.toJson().getBytes(StandardCharsets.UTF_8)) != null) {
                throw new IllegalArgumentException("two resources share the metadata path " + doc.path());
            }
        }
        this.documents = Map.copyOf(byPath);
        this.rootDocument = byPath.values().iterator().next();
    }

    /** A servlet for the documents of {@code resources}; the first one also answers at the root path. */
    public static ProtectedResourceMetadataServlet of(ProtectedResourceSettings... resources) {
        return of(List.of(resources));
    }

    /** A servlet for the documents of {@code resources}; the first one also answers at the root path. */
    public static ProtectedResourceMetadataServlet of(List<ProtectedResourceSettings> resources) {
        Objects.requireNonNull(resources, "resources");
        return new ProtectedResourceMetadataServlet(List.copyOf(resources));
    }

    /** Discards any request body first (none is read), so that the client's connection survives the answer. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        EdgeReader.discard(request, response);
        super.service(request, response);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] doc = find(request.getRequestURI());
        String context = request.getContextPath();
        if (doc == null && context != null && !context.isEmpty() && request.getRequestURI().startsWith(context)) {
            doc = find(request.getRequestURI().substring(context.length()));
        }
        if (doc == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        EdgeWriter.publicDocument(doc, ProtectedResourceMetadataDocument.CACHE_CONTROL, response);
    }

    private byte[] find(String path) {
        if (path == null) {
            return null;
        }
        byte[] doc = documents.get(path);
        if (doc == null && path.equals(ProtectedResourceSettings.WELL_KNOWN)) {
            doc = rootDocument;
        }
        return doc;
    }
}
