package io.github.mcpoauth.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.fixtures.FlakyKeyStore;
import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.internal.metadata.AuthorizationServerMetadataEndpoint;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.StoreException;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.core.internal.token.AccessTokens;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 #3: a signing key store outage never turns a valid token into 401. Keys once loaded are served from
 * memory; what cannot be checked now is 503 {@code temporarily_unavailable}.
 */
class KeyStoreOutageTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T10:00:00Z");
    private final FlakyKeyStore store = new FlakyKeyStore(InMemoryStores.create(clock).keys());
    private final AuthorizationServerSettings as = AuthorizationServerSettings.builder()
            .issuer(TestTokens.ISSUER).resource(TestTokens.RESOURCE).clock(clock).build();
    private final SigningKeys keys = SigningKeys.create(store, clock, as.accessTokenLifetime());
    private final AccessTokens issuer = new AccessTokens(as, keys, Secrets.create());
    private final AccessTokenVerifier verifier = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
            .jwkSource(keys.jwkSource())
            .build();

    private String token(String grantId) {
        Grant g = new Grant(grantId, new ClientID("client-1"), "alice", Set.of("mcp"),
                List.of(URI.create(TestTokens.RESOURCE)), clock.instant(), Optional.empty(),
                clock.instant().plus(Duration.ofDays(1)), false);
        return issuer.issue(g, Set.of("mcp"), g.resources(), clock.instant());
    }

    @Test
    void whenStoreDownAfterKeysLoadedThenNewValidTokenStillVerifies() {
        String first = token("g-1");
        verifier.verify(first);
        String second = token("g-2"); // never seen by the verifier
        store.down.set(true);
        clock.advance(Duration.ofMinutes(5)); // past the key list's refresh interval: a re-read is due and fails

        assertThat(verifier.verify(second).grantId()).contains("g-2");
        assertThat(keys.servedJwks().getKeys()).hasSize(1);
        assertThat(token("g-3")).isNotEmpty(); // signing goes on with the loaded key
        assertThat(store.failedReads.get()).isPositive();
    }

    @Test
    void whenStoreDownAndTokenNamesAKeyNotLoadedThenUnavailableNotInvalid() throws Exception {
        token("g-1");
        store.down.set(true);
        clock.advance(Duration.ofMinutes(5));
        keys.servedJwks(); // the failed re-read is noticed
        // A key another node made (same store, not yet read here) signs a token this node has never seen.
        TestTokens other = new TestTokens(clock);
        String foreign = other.token();

        assertThatThrownBy(() -> verifier.verify(foreign)).isInstanceOfSatisfying(OAuthException.class, e -> {
            assertThat(e.error().getCode()).isEqualTo("temporarily_unavailable");
            assertThat(e.error().getHTTPStatusCode()).isEqualTo(503);
        });
        assertThat(verifier.check(foreign)).isInstanceOf(Verification.Unavailable.class);
    }

    @Test
    void whenStoreBackThenAKeyNotLoadedIsRefusedAsUsual() throws Exception {
        token("g-1");
        TestTokens other = new TestTokens(clock);
        String foreign = other.token();

        assertThat(verifier.check(foreign)).isEqualTo(new Verification.Refused(false));
        assertThat(verifier.check(foreign)).isEqualTo(new Verification.Refused(true));
    }

    @Test
    void whenNoKeyWasEverLoadedAndStoreDownThenUnavailable() {
        store.down.set(true);
        String forged = new TestTokens(clock).token();

        assertThatThrownBy(keys::currentKey).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.isUnavailable()).isTrue());
        assertThat(verifier.check(forged)).isInstanceOf(Verification.Unavailable.class);
    }

    @Test
    void whenStoreRecoversThenKeysOfOtherNodesAreFoundAgain() {
        token("g-1");
        store.down.set(true);
        clock.advance(Duration.ofMinutes(5));
        keys.servedJwks();
        store.down.set(false);
        SigningKey made = new SigningKey("other-node-key", ((JWK) TestTokens.newKey("other-node-key")).toJSONString(),
                clock.instant(), clock.instant(), clock.instant().plus(Duration.ofDays(90)),
                clock.instant().plus(Duration.ofDays(91)));
        store.save(made);
        clock.advance(Duration.ofSeconds(2));

        assertThat(keys.publicKey("other-node-key")).isPresent();
    }

    @Test
    void whenASuccessorIsDueDuringAnOutageThenTheCurrentKeySignsWithoutQueuingOnTheStore() {
        String kid = keys.currentKey().getKeyID();
        clock.advance(Duration.ofDays(89).plusHours(12)); // inside the publish lead: a successor is due
        store.down.set(true);

        assertThat(keys.currentKey().getKeyID()).isEqualTo(kid);
        int reads = store.failedReads.get();
        for (int i = 0; i < 10; i++) {
            assertThat(keys.currentKey().getKeyID()).isEqualTo(kid);
        }

        assertThat(store.failedReads.get()).as("no store read per signature while it is down").isEqualTo(reads);
        store.down.set(false);
        clock.advance(Duration.ofMinutes(2));
        keys.currentKey();
        assertThat(store.findAll()).hasSize(2); // the successor is made once the store is back
    }

    @Test
    void whenKeysLoadedAndStoreDownThenTheJwksEndpointAnswersFromMemory() {
        AuthorizationServerMetadataEndpoint endpoint = new AuthorizationServerMetadataEndpoint(as, keys, false);
        String kid = keys.currentKey().getKeyID();
        store.down.set(true);
        clock.advance(Duration.ofMinutes(5));

        HTTPResponse r = endpoint.jwks();

        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getBody()).contains(kid);
    }

    @Test
    void whenNoKeyWasEverLoadedAndStoreDownThenTheJwksEndpointAnswers503WithRetryAfter() {
        AuthorizationServerMetadataEndpoint endpoint = new AuthorizationServerMetadataEndpoint(as, keys, false);
        store.down.set(true);

        HTTPResponse r = endpoint.jwks();

        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(r.getHeaderValue("Retry-After")).isNotBlank();
        assertThat(r.getBody()).contains("temporarily_unavailable").doesNotContain("StoreException");
    }
}
