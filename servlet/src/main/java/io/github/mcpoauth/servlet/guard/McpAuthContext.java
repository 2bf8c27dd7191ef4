package io.github.mcpoauth.servlet.guard;

import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.servlet.McpResourceServer;
import io.github.mcpoauth.servlet.internal.guard.BearerGuardFilter;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Carries the guard's {@link AccessTokenPrincipal} from the servlet request to MCP Java SDK tool, resource and
 * prompt handlers, through the SDK's {@link McpTransportContext}: no static holder, no thread-local.
 *
 * <pre>{@code
 * var transport = HttpServletStreamableServerTransportProvider.builder()
 *         .contextExtractor(McpAuthContext.extractor())
 *         .build();
 * ...
 * (exchange, request) -> {
 *     AccessTokenPrincipal who = McpAuthContext.principal(exchange).orElseThrow();
 *     ...
 * }
 * }</pre>
 *
 * <p>The principal is stored under {@link #PRINCIPAL_KEY}. This is the only class of mcp-oauth-servlet that uses
 * the MCP SDK (an optional dependency): the rest of the guard works without it.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization">MCP authorization</a>
 */
public final class McpAuthContext {

    /** The transport-context key under which the principal is stored. */
    public static final String PRINCIPAL_KEY = BearerGuardFilter.PRINCIPAL_ATTRIBUTE;

    /**
     * The transport-context key under which the caller of a legacy token ({@link McpResourceServer.LegacyTokens})
     * is stored; such a request has no {@link #PRINCIPAL_KEY}.
     */
    public static final String LEGACY_CALLER_KEY = BearerGuardFilter.LEGACY_CALLER_ATTRIBUTE;

    private McpAuthContext() {
    }

    /** An extractor that puts the request's principal (when the guard let it through) into the context. */
    public static McpTransportContextExtractor<HttpServletRequest> extractor() {
        return extractor((request, values) -> {
        });
    }

    /**
     * An extractor that lets {@code more} add the host's own values first, then puts the principal under
     * {@link #PRINCIPAL_KEY} (so that {@code more} cannot replace it).
     */
    public static McpTransportContextExtractor<HttpServletRequest> extractor(
            BiConsumer<HttpServletRequest, Map<String, Object>> more) {
        Objects.requireNonNull(more, "more");
        return request -> {
            Map<String, Object> values = new HashMap<>();
            more.accept(request, values);
            values.remove(PRINCIPAL_KEY);
            values.remove(LEGACY_CALLER_KEY);
            BearerGuardFilter.principal(request).ifPresent(p -> values.put(PRINCIPAL_KEY, p));
            if (request.getUserPrincipal() instanceof McpResourceServer.LegacyTokens.Caller caller) {
                values.put(LEGACY_CALLER_KEY, caller);
            }
            return values.isEmpty() ? McpTransportContext.EMPTY : McpTransportContext.create(values);
        };
    }

    /** The principal in {@code context}, if the request came through the guard. */
    public static Optional<AccessTokenPrincipal> principal(McpTransportContext context) {
        if (context == null) {
            return Optional.empty();
        }
        return context.get(PRINCIPAL_KEY) instanceof AccessTokenPrincipal p ? Optional.of(p) : Optional.empty();
    }

    /** The principal of the request a synchronous handler is serving. */
    public static Optional<AccessTokenPrincipal> principal(McpSyncServerExchange exchange) {
        return principal(exchange.transportContext());
    }

    /** The principal of the request an asynchronous handler is serving. */
    public static Optional<AccessTokenPrincipal> principal(McpAsyncServerExchange exchange) {
        return principal(exchange.transportContext());
    }

    /** The caller of a legacy token in {@code context}, if the guard let the request through on one. */
    public static Optional<McpResourceServer.LegacyTokens.Caller> legacyCaller(McpTransportContext context) {
        if (context == null) {
            return Optional.empty();
        }
        return context.get(LEGACY_CALLER_KEY) instanceof McpResourceServer.LegacyTokens.Caller c ? Optional.of(c)
                : Optional.empty();
    }

    /** The caller of a legacy token of the request a synchronous handler is serving. */
    public static Optional<McpResourceServer.LegacyTokens.Caller> legacyCaller(McpSyncServerExchange exchange) {
        return legacyCaller(exchange.transportContext());
    }
}
