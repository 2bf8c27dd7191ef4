package io.github.mcpoauth.core.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The OAuth 2.0 Protected Resource Metadata document of one resource (RFC 9728 §2): {@code resource},
 * {@code authorization_servers}, {@code scopes_supported} (when any), {@code bearer_methods_supported}
 * ({@code ["header"]}: tokens are accepted in the {@code Authorization} header only) and, when configured,
 * {@code resource_name} and {@code resource_documentation}. Immutable; the JSON is rendered once.
 *
 * <p>It is served at the path-suffixed well-known URL {@link #path()} (RFC 9728 §3.1), e.g.
 * {@code /.well-known/oauth-protected-resource/mcp}; the MCP authorization spec has clients fall back to the
 * root form {@code /.well-known/oauth-protected-resource} when the suffixed one is not found.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728#section-2">RFC 9728 §2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728#section-3">RFC 9728 §3</a>
 */
public final class ProtectedResourceMetadataDocument {

    /** {@code Cache-Control} for the document: public, an hour. */
    public static final String CACHE_CONTROL = "public, max-age=3600";

    private final ProtectedResourceSettings settings;
    private final String json;

    private ProtectedResourceMetadataDocument(ProtectedResourceSettings settings) {
        this.settings = settings;
        this.json = render(settings);
    }

    /** The document of the resource {@code settings} describe. */
    public static ProtectedResourceMetadataDocument of(ProtectedResourceSettings settings) {
        return new ProtectedResourceMetadataDocument(Objects.requireNonNull(settings, "settings"));
    }

    /** The settings it describes. */
    public ProtectedResourceSettings settings() {
        return settings;
    }

    /** The document as a JSON object (UTF-8 when sent), {@code Content-Type: application/json}. */
    public String toJson() {
        return json;
    }

    /**
     * The absolute path of the document's well-known URL on the resource's origin: {@code WELL_KNOWN} followed
     * by the resource's path, e.g. {@code /.well-known/oauth-protected-resource/mcp} (RFC 9728 §3.1).
     */
    public String path() {
        return ProtectedResourceSettings.wellKnownUrl(settings.resource()).getRawPath();
    }

    /** The document's URL, as announced in {@code resource_metadata} (RFC 9728 §5.1). */
    public URI url() {
        return settings.resourceMetadataUrl();
    }

    private static String render(ProtectedResourceSettings s) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("resource", s.resource().toString());
        doc.put("authorization_servers", s.authorizationServers().stream().map(URI::toString).toList());
        if (!s.scopesSupported().isEmpty()) {
            doc.put("scopes_supported", List.copyOf(s.scopesSupported()));
        }
        doc.put("bearer_methods_supported", List.of("header"));
        s.dpop().ifPresent(d -> {
            doc.put("dpop_signing_alg_values_supported", d.algorithms().stream().map(a -> a.getName()).sorted()
                    .toList());
            doc.put("dpop_bound_access_tokens_required", d.required());
        });
        s.resourceName().ifPresent(n -> doc.put("resource_name", n));
        s.resourceDocumentation().ifPresent(d -> doc.put("resource_documentation", d.toString()));
        try {
            return new ObjectMapper().writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render protected resource metadata", e);
        }
    }

    @Override
    public String toString() {
        return "ProtectedResourceMetadataDocument[" + path() + "]";
    }
}
