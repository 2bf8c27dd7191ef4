package io.github.mcpoauth.core.internal.token;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * An external issuer whose signed JWTs the JWT bearer grant redeems: a workload identity provider (Kubernetes,
 * GitHub Actions, a cloud IAM; RFC 7523 §2.1) or an enterprise identity provider issuing ID-JAGs (SEP-990,
 * draft-ietf-oauth-identity-assertion-authz-grant).
 *
 * @param issuer the exact {@code iss} of its JWTs
 * @param keys its public signing keys
 * @param subjects maps a verified assertion's claims to the subject of our token (a workload or a user); empty
 *     refuses the assertion ({@code invalid_grant})
 * @param kind whether it issues workload assertions or ID-JAGs
 */
public record TrustedIssuer(String issuer, JWKSet keys, Function<JWTClaimsSet, Optional<String>> subjects,
        Kind kind) {

    /** What a trusted issuer's JWTs are. */
    public enum Kind {
        /** Workload identity tokens: any {@code typ} but an ID-JAG's, the subject mapped from {@code sub}. */
        WORKLOAD,
        /** Identity assertion JWT authorization grants: {@code typ} {@code oauth-id-jag+jwt}. */
        ENTERPRISE
    }

    /** Checks for nulls and keeps only the public keys. */
    public TrustedIssuer {
        Objects.requireNonNull(issuer, "issuer");
        keys = Objects.requireNonNull(keys, "keys").toPublicJWKSet();
        Objects.requireNonNull(subjects, "subjects");
        Objects.requireNonNull(kind, "kind");
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("issuer must not be blank");
        }
        if (keys.getKeys().isEmpty()) {
            throw new IllegalArgumentException("keys must hold at least one public key");
        }
    }
}
