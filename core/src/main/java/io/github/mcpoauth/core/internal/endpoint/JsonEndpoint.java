package io.github.mcpoauth.core.internal.endpoint;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.internal.error.ErrorResponses;
import io.github.mcpoauth.core.error.OAuthException;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One JSON endpoint of core in two steps, so that the HTTP edge can act between them (rate limits by the client
 * the request names, a store permit) without parsing anything itself: {@link #parse} the HTTP request once into a
 * typed request, then {@link #handle} that. The edge wraps both in one {@code try/catch} and hands any failure to
 * {@link io.github.mcpoauth.core.internal.error.ErrorResponses#of}.
 *
 * @param <T> the type of the typed request
 */
public interface JsonEndpoint<T> {

    /**
     * Parses {@code request}; needs no store.
     *
     * @throws OAuthException if the request is malformed (e.g. {@code invalid_request}, {@code invalid_client})
     */
    ParsedRequest<T> parse(HTTPRequest request);

    /** Decides {@code request} and answers; never throws (a failure is answered as its error response). */
    HTTPResponse handle(ParsedRequest<T> request);

    /** {@link #parse} then {@link #handle(ParsedRequest)}; never throws (a parse failure is answered too). */
    default HTTPResponse handle(HTTPRequest request) {
        ParsedRequest<T> parsed;
        try {
            parsed = parse(request);
        } catch (RuntimeException | StackOverflowError e) {
            return ErrorResponses.of(e, request);
        }
        return handle(parsed);
    }

    /** An endpoint that takes the HTTP request as it is and names no client (registration: the client is new). */
    static JsonEndpoint<HTTPRequest> unparsed(Function<HTTPRequest, HTTPResponse> handler) {
        Objects.requireNonNull(handler, "handler");
        return new JsonEndpoint<>() {
            @Override
            public ParsedRequest<HTTPRequest> parse(HTTPRequest request) {
                return ParsedRequest.anonymous(request);
            }

            @Override
            public HTTPResponse handle(ParsedRequest<HTTPRequest> request) {
                return handler.apply(request.value());
            }
        };
    }

    /** An endpoint that answers every request with a document (metadata, JWK Set), whatever the request says. */
    static JsonEndpoint<HTTPRequest> document(Supplier<HTTPResponse> document) {
        Objects.requireNonNull(document, "document");
        return unparsed(request -> document.get());
    }
}
