package io.github.mcpoauth.core.store.testkit;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.Consent;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** {@link Consent} fixtures: a fresh subject and client each, given at {@link MutableClock#START}. */
public final class TestConsents {

    private TestConsents() {
    }

    /** A consent to {@code mcp:read} on one resource. */
    public static Builder consent() {
        return new Builder();
    }

    /** Builds a {@link Consent}; every field has a default. */
    public static final class Builder {

        private String subject = Fixtures.newId("user-");
        private ClientID clientId = new ClientID(Fixtures.newId("client-"));
        private Set<String> scopes = Set.of("mcp:read");
        private Set<URI> resources = Set.of(URI.create("https://mcp.example.com/mcp"));
        private Instant grantedAt = MutableClock.START;

        private Builder() {
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = new ClientID(clientId);
            return this;
        }

        public Builder clientId(ClientID clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder scopes(String... scopes) {
            this.scopes = Set.of(scopes);
            return this;
        }

        public Builder resources(String... resources) {
            this.resources = Arrays.stream(resources).map(URI::create).collect(Collectors.toSet());
            return this;
        }

        public Builder grantedAt(Instant grantedAt) {
            this.grantedAt = grantedAt;
            return this;
        }

        public Consent build() {
            return new Consent(subject, clientId, scopes, resources, grantedAt);
        }
    }
}
