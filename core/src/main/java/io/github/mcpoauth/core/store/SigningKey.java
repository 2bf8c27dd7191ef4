package io.github.mcpoauth.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A key the server signs access tokens with, in its lifecycle: published in the JWKS from {@code createdAt},
 * used for signing from {@code activatesAt}, retired from signing at {@code retiresAt} and unpublished at
 * {@code expiresAt} (after every token it signed has expired).
 *
 * @param keyId the {@code kid}
 * @param jwkJson the private key as a JSON Web Key (RFC 7517); key material: protect the store accordingly
 * @param createdAt when it was made and published
 * @param activatesAt when it starts signing (after relying parties had time to fetch the JWKS)
 * @param retiresAt when it stops signing
 * @param expiresAt when it leaves the JWKS
 */
public record SigningKey(String keyId, String jwkJson, Instant createdAt, Instant activatesAt, Instant retiresAt,
        Instant expiresAt) {

    /** Checks the invariants. */
    public SigningKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(jwkJson, "jwkJson");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(activatesAt, "activatesAt");
        Objects.requireNonNull(retiresAt, "retiresAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (activatesAt.isBefore(createdAt) || retiresAt.isBefore(activatesAt) || expiresAt.isBefore(retiresAt)) {
            throw new IllegalArgumentException("key " + keyId
                    + ": need createdAt <= activatesAt <= retiresAt <= expiresAt");
        }
    }

    /** Whether the key may sign at {@code now}. */
    public boolean signsAt(Instant now) {
        return !now.isBefore(activatesAt) && now.isBefore(retiresAt);
    }

    /** Whether the key is published at {@code now}. */
    public boolean publishedAt(Instant now) {
        return !now.isBefore(createdAt) && now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "SigningKey[keyId=" + keyId + ", createdAt=" + createdAt + ", activatesAt=" + activatesAt
                + ", retiresAt=" + retiresAt + ", expiresAt=" + expiresAt + "]";
    }
}
