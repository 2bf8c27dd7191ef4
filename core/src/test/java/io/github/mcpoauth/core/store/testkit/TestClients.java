package io.github.mcpoauth.core.store.testkit;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.RegisteredClient;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link RegisteredClient} fixtures: each call starts a builder with a fresh client id. */
public final class TestClients {

    private TestClients() {
    }

    /** A public client (PKCE, no secret) with one loopback redirect URI. */
    public static Builder publicClient() {
        return new Builder();
    }

    /** A confidential client authenticating with {@code client_secret_basic}. */
    public static Builder confidentialClient() {
        return new Builder().secretHash(Fixtures.newHash());
    }

    /** Builds a {@link RegisteredClient}; every field has a default. */
    public static final class Builder {

        private ClientID clientId = new ClientID(Fixtures.newId("client-"));
        private Optional<String> secretHash = Optional.empty();
        private ClientAuthenticationMethod authenticationMethod = ClientAuthenticationMethod.NONE;
        private List<URI> redirectUris = List.of(URI.create("http://127.0.0.1/callback"));
        private Set<GrantType> grantTypes = Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
        private Set<String> scopes = Set.of("mcp:read", "mcp:write");
        private Optional<String> clientName = Optional.of("Test client");
        private String metadataJson = "{\"client_name\":\"Test client\"}";
        private Instant issuedAt = MutableClock.START;

        private Builder() {
        }

        public Builder clientId(String clientId) {
            this.clientId = new ClientID(clientId);
            return this;
        }

        /** Makes the client confidential ({@code client_secret_basic}) with this secret hash. */
        public Builder secretHash(String secretHash) {
            this.secretHash = Optional.of(secretHash);
            this.authenticationMethod = ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
            return this;
        }

        public Builder authenticationMethod(ClientAuthenticationMethod method) {
            this.authenticationMethod = method;
            return this;
        }

        public Builder redirectUris(String... redirectUris) {
            this.redirectUris = Arrays.stream(redirectUris).map(URI::create).toList();
            return this;
        }

        public Builder grantTypes(GrantType... grantTypes) {
            this.grantTypes = Set.of(grantTypes);
            return this;
        }

        public Builder scopes(String... scopes) {
            this.scopes = Set.of(scopes);
            return this;
        }

        public Builder clientName(String clientName) {
            this.clientName = Optional.ofNullable(clientName);
            return this;
        }

        public Builder metadataJson(String metadataJson) {
            this.metadataJson = metadataJson;
            return this;
        }

        public Builder issuedAt(Instant issuedAt) {
            this.issuedAt = issuedAt;
            return this;
        }

        public RegisteredClient build() {
            return new RegisteredClient(clientId, secretHash, authenticationMethod, redirectUris, grantTypes, scopes,
                    clientName, metadataJson, issuedAt);
        }
    }
}
