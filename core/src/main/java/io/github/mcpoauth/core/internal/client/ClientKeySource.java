package io.github.mcpoauth.core.internal.client;

import com.nimbusds.jose.jwk.JWKSet;
import io.github.mcpoauth.core.error.OAuthException;
import java.net.URI;

/**
 * Where the public keys of a {@code private_key_jwt} client that registered a {@code jwks_uri} (RFC 7591 §2) come
 * from. The implementation, {@code MetadataDocumentClients}, fetches them with the SSRF defences of client ID
 * metadata documents and caches them briefly.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7523#section-2.2">RFC 7523 §2.2</a>
 */
public interface ClientKeySource {

    /**
     * The public keys at {@code jwksUri}: the cached set while it is fresh and holds {@code kid}, else a new fetch
     * (a refetch for an unknown {@code kid} at most once per rate-limit interval).
     *
     * @param kid the key id the assertion names, or {@code null}
     * @throws OAuthException with the reason (for the audit log) when the keys cannot be had
     */
    JWKSet keys(URI jwksUri, String kid);
}
