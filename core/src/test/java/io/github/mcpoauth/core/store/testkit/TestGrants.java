package io.github.mcpoauth.core.store.testkit;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.Grant;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link Grant} fixtures: a fresh grant id and refresh token hash each, created at {@link MutableClock#START}. */
public final class TestGrants {

    /** The default lifetime of a fixture grant. */
    public static final Duration LIFETIME = Duration.ofDays(30);

    private TestGrants() {
    }

    /** A live grant with a refresh token, expiring after {@link #LIFETIME}. */
    public static Builder grant() {
        return new Builder();
    }

    /** The hash of a fresh refresh token. */
    public static String newRefreshTokenHash() {
        return Fixtures.newHash();
    }

    /** Builds a {@link Grant}; every field has a default. */
    public static final class Builder {

        private String grantId = Fixtures.newId("grant-");
        private ClientID clientId = new ClientID(Fixtures.newId("client-"));
        private String subject = "alice";
        private Set<String> scopes = Set.of("mcp:read", "mcp:write");
        private List<URI> resources = List.of(URI.create("https://mcp.example.com/mcp"));
        private Instant createdAt = MutableClock.START;
        private Optional<String> refreshTokenHash = Optional.of(Fixtures.newHash());
        private Instant expiresAt = MutableClock.START.plus(LIFETIME);
        private boolean revoked;
        private Optional<String> refreshTokenJkt = Optional.empty();

        private Builder() {
        }

        public Builder grantId(String grantId) {
            this.grantId = grantId;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = new ClientID(clientId);
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder scopes(String... scopes) {
            this.scopes = Set.of(scopes);
            return this;
        }

        public Builder resources(String... resources) {
            this.resources = Arrays.stream(resources).map(URI::create).toList();
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder refreshTokenHash(String refreshTokenHash) {
            this.refreshTokenHash = Optional.of(refreshTokenHash);
            return this;
        }

        /** A grant without a refresh token (the client may not refresh). */
        public Builder noRefreshToken() {
            this.refreshTokenHash = Optional.empty();
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder revoked(boolean revoked) {
            this.revoked = revoked;
            return this;
        }

        /** Refresh tokens bound to the DPoP key of this JWK thumbprint (RFC 9449 §5). */
        public Builder refreshTokenJkt(String jkt) {
            this.refreshTokenJkt = Optional.of(jkt);
            return this;
        }

        public Grant build() {
            return new Grant(grantId, clientId, subject, scopes, resources, createdAt, refreshTokenHash, expiresAt,
                    revoked, refreshTokenJkt);
        }
    }
}
