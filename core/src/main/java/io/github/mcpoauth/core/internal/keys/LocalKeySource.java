package io.github.mcpoauth.core.internal.keys;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.List;
import java.util.Set;

/**
 * The signing keys as a Nimbus {@link JWKSource} for a resource server in the same application: a lookup by
 * {@code kid} goes through {@link SigningKeys#publicKey(String)}, so keys made by other nodes are found at once. When
 * the keys cannot be read (an unknown {@code kid} during a store outage, or no key loaded yet) it throws a
 * {@link KeySourceException}, which {@code AccessTokenVerifier} answers with 503 {@code temporarily_unavailable},
 * never with {@code invalid_token}. Public keys only: it never hands out private or secret keys.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7517#section-5">RFC 7517 §5 (JWK Set)</a>
 */
final class LocalKeySource implements JWKSource<SecurityContext> {

    private final SigningKeys keys;

    LocalKeySource(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        try {
            Set<String> ids = selector.getMatcher().getKeyIDs();
            if (ids != null && ids.size() == 1) {
                return keys.publicKey(ids.iterator().next()).map(k -> selector.select(new JWKSet(k)))
                        .orElse(List.of());
            }
            return selector.select(keys.publicJwks());
        } catch (RuntimeException e) {
            throw new KeySourceException("the signing keys cannot be read now", e);
        }
    }
}
