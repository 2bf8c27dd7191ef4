package io.github.mcpoauth.core.internal.dpop;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.token.DPoPTokenError;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * DPoP at a protected resource (RFC 9449 §7): decides, once the access token itself verified, whether the way it
 * was presented is acceptable. A token bound to a key ({@code cnf.jkt}) presented as {@code Bearer} is refused
 * (a stolen bound token must not be usable as a bearer token), whether DPoP is configured or not; with DPoP on, a
 * token presented as {@code DPoP} needs exactly one proof for this request ({@code htm}, {@code htu}, {@code ath})
 * signed by the key it is bound to, and a fresh server nonce when nonces are on; with DPoP required, no
 * {@code Bearer} token passes. Refusals are {@link DPoPTokenError}s (401, naming the accepted {@code algs}).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9449#section-7">RFC 9449 §7</a>
 */
public final class ResourceDpop {

    /** The authorization scheme of a DPoP-bound token. */
    public static final String SCHEME = "DPoP";

    private final Optional<DpopProofVerifier> verifier;

    /** DPoP for the resource {@code settings} describe (off when its DPoP settings are absent). */
    public ResourceDpop(ProtectedResourceSettings settings, Secrets secrets) {
        Objects.requireNonNull(settings, "settings");
        this.verifier = settings.dpop().map(d -> new DpopProofVerifier(d, settings.clock(), secrets));
    }

    /** Whether {@code Authorization: DPoP} is accepted. */
    public boolean enabled() {
        return verifier.isPresent();
    }

    /** The nonce to hand out now ({@code DPoP-Nonce}), when nonces are on. */
    public Optional<String> nonce() {
        return verifier.flatMap(DpopProofVerifier::nonce);
    }

    /**
     * Checks how a verified token was presented.
     *
     * @param scheme {@code Bearer} or {@code DPoP}, as the {@code Authorization} header said
     * @param token the access token
     * @param principal what the token verified as
     * @param proofs the request's {@code DPoP} header values
     * @param method the request method ({@code htm})
     * @param urls the URLs the proof's {@code htu} may name: the request's, and the resource's own
     * @throws OAuthException 401 {@code invalid_token}, {@code invalid_dpop_proof} or {@code use_dpop_nonce};
     *     400 {@code invalid_request} for two proofs
     */
    public void check(String scheme, String token, AccessTokenPrincipal principal, List<String> proofs,
            String method, Collection<URI> urls) {
        if (!SCHEME.equalsIgnoreCase(scheme)) {
            if (principal.jkt().isPresent()) {
                throw refusal(DPoPTokenError.INVALID_TOKEN, "The access token is bound to a key: present it with "
                        + "the DPoP scheme and a proof");
            }
            if (verifier.isPresent() && verifier.get().settings().required()) {
                throw refusal(DPoPTokenError.INVALID_TOKEN, "Only DPoP-bound access tokens are accepted");
            }
            return;
        }
        if (verifier.isEmpty() || principal.jkt().isEmpty()) {
            throw refusal(DPoPTokenError.INVALID_TOKEN, "The access token is not bound to a DPoP key");
        }
        if (proofs == null || proofs.isEmpty()) {
            throw refusal(DPoPTokenError.INVALID_DPOP_PROOF, "A DPoP proof is required");
        }
        if (proofs.size() > 1) {
            throw refusal(DPoPTokenError.INVALID_REQUEST, "More than one DPoP header");
        }
        String jkt;
        try {
            jkt = verifier.get().verify(proofs.get(0), method, urls, token);
        } catch (DpopProofVerifier.Refused e) {
            if (e.needsNonce()) {
                throw refusal(DPoPTokenError.USE_DPOP_NONCE, "Resource server requires nonce in DPoP proof");
            }
            throw refusal(DPoPTokenError.INVALID_DPOP_PROOF, "The DPoP proof is invalid");
        }
        if (!Secrets.constantTimeEquals(jkt, principal.jkt().get())) {
            throw refusal(DPoPTokenError.INVALID_DPOP_PROOF, "The DPoP proof is not signed by the token's key");
        }
    }

    private OAuthException refusal(DPoPTokenError base, String description) {
        Set<JWSAlgorithm> algs = verifier.map(v -> v.settings().algorithms()).orElse(null);
        DPoPTokenError error = base.setDescription(description);
        if (algs != null) {
            error = error.setJWSAlgorithms(algs);
        }
        return new OAuthException(error);
    }
}
