package io.github.mcpoauth.core.resource;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;

/** The Nimbus {@link JWKSource} of a remote authorization server's JWK Set: bounded, cached, rate-limited. */
final class RemoteKeys {

    private RemoteKeys() {
    }

    static JWKSource<SecurityContext> source(URI jwksUri, Duration connectTimeout, Duration readTimeout,
            int maxResponseBytes, Duration cacheTtl, Duration refetchInterval) {
        URL url;
        try {
            url = jwksUri.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("remoteJwks is not a URL: " + jwksUri, e);
        }
        DefaultResourceRetriever retriever = new DefaultResourceRetriever((int) connectTimeout.toMillis(),
                (int) readTimeout.toMillis(), maxResponseBytes);
        return JWKSourceBuilder.<SecurityContext>create(url, retriever)
                .cache(cacheTtl.toMillis(), connectTimeout.plus(readTimeout).toMillis())
                .rateLimited(refetchInterval.toMillis())
                .refreshAheadCache(false)
                .retrying(false)
                .outageTolerant(false)
                .build();
    }
}
