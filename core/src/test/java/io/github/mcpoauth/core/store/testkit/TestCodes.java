package io.github.mcpoauth.core.store.testkit;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.AuthorizationCode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link AuthorizationCode} fixtures: a fresh code hash and grant id each, issued at {@link MutableClock#START}. */
public final class TestCodes {

    /** The default lifetime of a fixture code. */
    public static final Duration LIFETIME = Duration.ofMinutes(1);

    private TestCodes() {
    }

    /** An unconsumed code for a public client, valid for {@link #LIFETIME}. */
    public static Builder code() {
        return new Builder();
    }

    /** Builds an {@link AuthorizationCode}; every field has a default. */
    public static final class Builder {

        private String codeHash = Fixtures.newHash();
        private ClientID clientId = new ClientID(Fixtures.newId("client-"));
        private String subject = "alice";
        private Optional<URI> redirectUri = Optional.of(URI.create("http://127.0.0.1/callback"));
        private Set<String> scopes = Set.of("mcp:read");
        private List<URI> resources = List.of(URI.create("https://mcp.example.com/mcp"));
        private String codeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        private String grantId = Fixtures.newId("grant-");
        private Instant issuedAt = MutableClock.START;
        private Instant expiresAt = MutableClock.START.plus(LIFETIME);
        private boolean consumed;

        private Builder() {
        }

        public Builder codeHash(String codeHash) {
            this.codeHash = codeHash;
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

        /** The redirect URI, or none with {@code null}. */
        public Builder redirectUri(String redirectUri) {
            this.redirectUri = Optional.ofNullable(redirectUri).map(URI::create);
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

        public Builder codeChallenge(String codeChallenge) {
            this.codeChallenge = codeChallenge;
            return this;
        }

        public Builder grantId(String grantId) {
            this.grantId = grantId;
            return this;
        }

        public Builder issuedAt(Instant issuedAt) {
            this.issuedAt = issuedAt;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder consumed(boolean consumed) {
            this.consumed = consumed;
            return this;
        }

        public AuthorizationCode build() {
            return new AuthorizationCode(codeHash, clientId, subject, redirectUri, scopes, resources, codeChallenge,
                    grantId, issuedAt, expiresAt, consumed);
        }
    }
}
