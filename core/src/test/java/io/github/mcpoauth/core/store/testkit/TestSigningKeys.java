package io.github.mcpoauth.core.store.testkit;

import io.github.mcpoauth.core.store.SigningKey;
import java.time.Duration;
import java.time.Instant;

/**
 * {@link SigningKey} fixtures: a fresh key id, made and signing from {@link MutableClock#START}. The key material
 * is a placeholder JSON object: stores hold it without parsing it.
 */
public final class TestSigningKeys {

    private TestSigningKeys() {
    }

    /** A key signing for 90 days from {@link MutableClock#START}, published for one more day. */
    public static Builder key() {
        return new Builder();
    }

    /** Builds a {@link SigningKey}; every field has a default. */
    public static final class Builder {

        private String keyId = Fixtures.newId("kid-");
        private String jwkJson;
        private Instant createdAt = MutableClock.START;
        private Instant activatesAt = MutableClock.START;
        private Instant retiresAt = MutableClock.START.plus(Duration.ofDays(90));
        private Instant expiresAt = MutableClock.START.plus(Duration.ofDays(91));

        private Builder() {
        }

        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        public Builder jwkJson(String jwkJson) {
            this.jwkJson = jwkJson;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder activatesAt(Instant activatesAt) {
            this.activatesAt = activatesAt;
            return this;
        }

        public Builder retiresAt(Instant retiresAt) {
            this.retiresAt = retiresAt;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public SigningKey build() {
            String json = jwkJson != null ? jwkJson
                    : "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + keyId + "\",\"x\":\"placeholder\"}";
            return new SigningKey(keyId, json, createdAt, activatesAt, retiresAt, expiresAt);
        }
    }
}
