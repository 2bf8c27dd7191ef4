package io.github.mcpoauth.core.settings;

import com.nimbusds.jose.JWSAlgorithm;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Sender-constrained tokens with DPoP (RFC 9449), for the authorization server's token endpoint and for the
 * resource server's guard: the proof algorithms accepted, how old a proof may be, whether server nonces are
 * required, and whether plain bearer tokens are still accepted.
 *
 * <p>A proof ({@code DPoP} header, a JWT of {@code typ: dpop+jwt} signed with the public key it carries) is checked
 * for its {@code htm} and {@code htu} (the request's method and URL), an {@code iat} within
 * {@link #proofMaxAge()} on the server's clock, a {@code jti} never seen before within that window, an
 * {@code ath} (hash of the access token) at the resource, and, with {@link #nonces()}, a {@code nonce} the server
 * handed out in {@code DPoP-Nonce} no longer ago than {@link #nonceLifetime()} (RFC 9449 §8, §9).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9449">RFC 9449</a>
 */
public final class DpopSettings {

    /** The algorithms accepted when none are set: ES256 and RS256. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256);

    private static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256,
            JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private final Set<JWSAlgorithm> algorithms;
    private final Duration proofMaxAge;
    private final boolean nonces;
    private final Duration nonceLifetime;
    private final boolean required;

    private DpopSettings(Builder b) {
        this.algorithms = Set.copyOf(b.algorithms);
        this.proofMaxAge = b.proofMaxAge;
        this.nonces = b.nonces;
        this.nonceLifetime = b.nonceLifetime;
        this.required = b.required;
    }

    /** A builder with the defaults: ES256 and RS256, proofs up to a minute old, no nonces, bearer still accepted. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults of {@link #builder()}. */
    public static DpopSettings defaults() {
        return builder().build();
    }

    /** The proof algorithms accepted ({@code dpop_signing_alg_values_supported}). */
    public Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    /** How far in the past a proof's {@code iat} may lie (and, with the clock skew, in the future). */
    public Duration proofMaxAge() {
        return proofMaxAge;
    }

    /** Whether every proof must carry a nonce the server handed out ({@code use_dpop_nonce}, RFC 9449 §8, §9). */
    public boolean nonces() {
        return nonces;
    }

    /** How long a nonce the server hands out stays acceptable. */
    public Duration nonceLifetime() {
        return nonceLifetime;
    }

    /** Whether a DPoP proof is required: no plain bearer token is issued or accepted. */
    public boolean required() {
        return required;
    }

    @Override
    public String toString() {
        return "DpopSettings[algorithms=" + algorithms + ", proofMaxAge=" + proofMaxAge + ", nonces=" + nonces
                + ", required=" + required + "]";
    }

    /** Builds {@link DpopSettings}; every setter checks its argument at once. */
    public static final class Builder {
        private Set<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
        private Duration proofMaxAge = Duration.ofSeconds(60);
        private boolean nonces;
        private Duration nonceLifetime = Duration.ofMinutes(5);
        private boolean required;

        private Builder() {
        }

        /**
         * The proof algorithms accepted: asymmetric only (ES256/384/512, RS256/384/512, PS256/384/512, EdDSA and
         * Ed25519 with Ed25519 keys, verified by the JDK), at least one.
         */
        public Builder algorithms(Collection<JWSAlgorithm> algorithms) {
            Objects.requireNonNull(algorithms, "algorithms");
            if (algorithms.isEmpty()) {
                throw new IllegalArgumentException("algorithms must not be empty");
            }
            for (JWSAlgorithm a : algorithms) {
                if (!SUPPORTED.contains(a)) {
                    throw new IllegalArgumentException("algorithms: " + a + " is not supported for DPoP proofs");
                }
            }
            this.algorithms = new LinkedHashSet<>(algorithms);
            return this;
        }

        /** {@link #algorithms(Collection)} from names such as {@code "ES256"}. */
        public Builder algorithms(String... names) {
            return algorithms(List.of(names).stream().map(JWSAlgorithm::parse).toList());
        }

        /** How old a proof may be, 1 second to 10 minutes (default 60 seconds). */
        public Builder proofMaxAge(Duration maxAge) {
            this.proofMaxAge = between("proofMaxAge", maxAge, Duration.ofSeconds(1), Duration.ofMinutes(10));
            return this;
        }

        /** Whether proofs must carry a server nonce (default false). */
        public Builder nonces(boolean nonces) {
            this.nonces = nonces;
            return this;
        }

        /** How long a nonce stays acceptable, 10 seconds to 1 hour (default 5 minutes). */
        public Builder nonceLifetime(Duration lifetime) {
            this.nonceLifetime = between("nonceLifetime", lifetime, Duration.ofSeconds(10), Duration.ofHours(1));
            return this;
        }

        /** Whether a proof is required on every token request and with every access token (default false). */
        public Builder required(boolean required) {
            this.required = required;
            return this;
        }

        /** The settings. */
        public DpopSettings build() {
            return new DpopSettings(this);
        }

        private static Duration between(String name, Duration d, Duration min, Duration max) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + d);
            }
            return d;
        }
    }
}
