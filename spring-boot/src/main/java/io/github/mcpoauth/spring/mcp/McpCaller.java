package io.github.mcpoauth.spring.mcp;

import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.servlet.guard.McpAuthContext;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Optional;

/**
 * The caller of an MCP tool, resource or prompt handler of the MCP Java SDK, carried from the servlet request by
 * the {@linkplain #extractor() context extractor} the starter registers as a bean: the verified
 * {@link AccessTokenPrincipal}, and the request's user principal as the application's security framework set it
 * (with Spring Security: the {@code Authentication}, a {@code McpBearerAuthentication} with {@code SCOPE_}
 * authorities).
 *
 * <pre>{@code
 * var transport = HttpServletStreamableServerTransportProvider.builder()
 *         .contextExtractor(extractor)          // the McpTransportContextExtractor bean of the starter
 *         .build();
 * ...
 * (exchange, request) -> McpCaller.principal(exchange).map(AccessTokenPrincipal::subject) ...
 * }</pre>
 */
public final class McpCaller {

    /** The transport-context key of the request's user principal. */
    public static final String USER_PRINCIPAL_KEY = "io.github.mcpoauth.spring.userPrincipal";

    private McpCaller() {
    }

    /**
     * The extractor: {@link McpAuthContext#extractor()} plus the request's user principal under
     * {@link #USER_PRINCIPAL_KEY}.
     */
    public static McpTransportContextExtractor<HttpServletRequest> extractor() {
        return McpAuthContext.extractor((request, values) -> {
            Principal p = request.getUserPrincipal();
            if (p != null) {
                values.put(USER_PRINCIPAL_KEY, p);
            }
        });
    }

    /** The verified access token's principal, if the request came through the bearer guard. */
    public static Optional<AccessTokenPrincipal> principal(McpSyncServerExchange exchange) {
        return McpAuthContext.principal(exchange);
    }

    /** The request's user principal (with Spring Security, its {@code Authentication}), if any. */
    public static Optional<Principal> userPrincipal(McpTransportContext context) {
        return context != null && context.get(USER_PRINCIPAL_KEY) instanceof Principal p
                ? Optional.of(p) : Optional.empty();
    }

    /** Same as {@link #userPrincipal(McpTransportContext)} for a synchronous handler's exchange. */
    public static Optional<Principal> userPrincipal(McpSyncServerExchange exchange) {
        return userPrincipal(exchange.transportContext());
    }
}
