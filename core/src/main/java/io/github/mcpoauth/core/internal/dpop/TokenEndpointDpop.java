package io.github.mcpoauth.core.internal.dpop;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * DPoP at the token endpoint (RFC 9449 §5): the request's one {@code DPoP} header is checked as a proof for
 * {@code POST} to the token endpoint, and the access token issued is then bound to the proof's key
 * ({@code cnf.jkt}, token type {@code DPoP}). A bad proof is 400 {@code invalid_dpop_proof}; with nonces on, a
 * proof without a fresh server nonce is 400 {@code use_dpop_nonce}, and every response carries
 * {@code DPoP-Nonce}. Without DPoP settings the header is ignored and tokens are plain bearer tokens.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9449#section-5">RFC 9449 §5</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9449#section-8">RFC 9449 §8</a>
 */
public final class TokenEndpointDpop {

    /** The request and response header names. */
    public static final String DPOP = "DPoP";
    /** The response header carrying a nonce. */
    public static final String DPOP_NONCE = "DPoP-Nonce";

    private final Optional<DpopProofVerifier> verifier;
    private final URI tokenEndpoint;

    /** DPoP at the token endpoint of {@code settings}, or nothing when its DPoP settings are absent. */
    public TokenEndpointDpop(AuthorizationServerSettings settings, Secrets secrets) {
        Objects.requireNonNull(settings, "settings");
        this.verifier = settings.dpop().map(d -> new DpopProofVerifier(d, settings.clock(), secrets));
        this.tokenEndpoint = settings.endpoint(settings.paths().token());
    }

    /**
     * The thumbprint to bind the issued tokens to, from the request's proof, or empty for a request without one
     * (when proofs are not required).
     *
     * @throws OAuthException 400 {@code invalid_dpop_proof} or {@code use_dpop_nonce}
     */
    public Optional<String> bind(HTTPRequest request) {
        if (verifier.isEmpty()) {
            return Optional.empty();
        }
        List<String> proofs = request.getHeaderValues(DPOP);
        if (proofs == null || proofs.isEmpty()) {
            if (verifier.get().settings().required()) {
                throw invalidProof("A DPoP proof is required");
            }
            return Optional.empty();
        }
        if (proofs.size() > 1) {
            throw invalidProof("More than one DPoP header");
        }
        try {
            return Optional.of(verifier.get().verify(proofs.get(0), "POST", List.of(tokenEndpoint), null));
        } catch (DpopProofVerifier.Refused e) {
            if (e.needsNonce()) {
                throw new OAuthException(new ErrorObject("use_dpop_nonce",
                        "Authorization server requires nonce in DPoP proof", 400));
            }
            throw invalidProof("The DPoP proof is invalid");
        }
    }

    /** {@code response} with the current {@code DPoP-Nonce} when nonces are on. */
    public HTTPResponse decorate(HTTPResponse response) {
        verifier.flatMap(DpopProofVerifier::nonce).ifPresent(n -> response.setHeader(DPOP_NONCE, n));
        return response;
    }

    private static OAuthException invalidProof(String description) {
        return new OAuthException(new ErrorObject("invalid_dpop_proof", description, 400));
    }
}
