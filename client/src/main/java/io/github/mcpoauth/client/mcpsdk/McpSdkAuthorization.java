package io.github.mcpoauth.client.mcpsdk;

import java.util.Objects;

import io.github.mcpoauth.client.McpOAuthClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Wires a {@link McpOAuthClient} into the MCP Java SDK's {@link HttpClientStreamableHttpTransport}: a request
 * customizer puts the access token on every request, an authorization error handler answers 401 and 403 (refresh,
 * authorize, step up) and lets the SDK retry, at most {@value McpOAuthClient#MAX_ATTEMPTS} times per request.
 *
 * <pre>{@code
 * var transport = McpSdkAuthorization.configure(HttpClientStreamableHttpTransport.builder(url), oauth).build();
 * }</pre>
 */
public final class McpSdkAuthorization {

    private McpSdkAuthorization() {
    }

    /** Sets this library's request customizer and authorization error handler on the builder, and returns it. */
    public static HttpClientStreamableHttpTransport.Builder configure(HttpClientStreamableHttpTransport.Builder builder,
            McpOAuthClient client) {
        Objects.requireNonNull(builder, "builder");
        return builder.httpRequestCustomizer(requestCustomizer(client))
                .authorizationErrorHandler(authorizationErrorHandler(client));
    }

    /** Puts {@link McpOAuthClient#authorizationHeaders} (the token, and with DPoP a proof) on each request. */
    public static McpSyncHttpClientRequestCustomizer requestCustomizer(McpOAuthClient client) {
        Objects.requireNonNull(client, "client");
        return (request, method, uri, body, context) -> client.authorizationHeaders(method, uri)
                .forEach(request::setHeader);
    }

    /**
     * Hands 401 and 403 answers to {@link McpOAuthClient#handleAuthorizationError}, off the SDK's I/O threads
     * (the authorization may wait for a browser login).
     */
    public static McpHttpClientTransportAuthorizationErrorHandler authorizationErrorHandler(McpOAuthClient client) {
        Objects.requireNonNull(client, "client");
        return new McpHttpClientTransportAuthorizationErrorHandler() {
            @Override
            public org.reactivestreams.Publisher<Boolean> handle(
                    io.modelcontextprotocol.client.transport.HttpRequestSnapshot request,
                    java.net.http.HttpResponse.ResponseInfo response,
                    io.modelcontextprotocol.common.McpTransportContext context) {
                return Mono.fromCallable(() -> client.handleAuthorizationError(response.statusCode(),
                        response.headers(), request.headers().firstValue("Authorization")))
                        .subscribeOn(Schedulers.boundedElastic());
            }

            @Override
            public int maxRetries() {
                return McpOAuthClient.MAX_ATTEMPTS;
            }
        };
    }
}
