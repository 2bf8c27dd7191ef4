package io.github.mcpoauth.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.internal.keys.SigningKeys;
import io.github.mcpoauth.core.internal.token.GrantRevocationCheck;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.core.internal.token.AccessTokens;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The guard accepts exactly what this library's authorization server issues, and follows its revocations. */
class SameAppTokensTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T10:00:00Z");
    private final Stores stores = InMemoryStores.create(clock);
    private final AuthorizationServerSettings as = AuthorizationServerSettings.builder()
            .issuer(TestTokens.ISSUER).resource(TestTokens.RESOURCE).scopes(Set.of("mcp", "tools")).clock(clock)
            .build();
    private final SigningKeys keys = SigningKeys.create(stores.keys(), clock, as.accessTokenLifetime());
    private final AccessTokens issuer = new AccessTokens(as, keys, Secrets.create());
    private final AccessTokenVerifier verifier = AccessTokenVerifier.builder(TestTokens.settings(clock).build())
            .localKeys(keys::publicJwks)
            .revocationCheck(new GrantRevocationCheck(stores.grants()))
            .build();

    private Grant grant(String id) {
        Grant g = new Grant(id, new ClientID("client-1"), "alice", Set.of("mcp", "tools"),
                List.of(URI.create(TestTokens.RESOURCE)), clock.instant(), Optional.empty(),
                clock.instant().plus(Duration.ofDays(1)), false);
        stores.grants().save(g);
        return g;
    }

    @Test
    void verifyWhenIssuedByTheAuthorizationServerThenAccepted() {
        Grant g = grant("g-1");
        String token = issuer.issue(g, Set.of("mcp"), g.resources(), clock.instant());

        AccessTokenPrincipal p = verifier.verify(token);

        assertThat(p.subject()).isEqualTo("alice");
        assertThat(p.clientId()).isEqualTo("client-1");
        assertThat(p.scopes()).containsExactly("mcp");
        assertThat(p.grantId()).contains("g-1");
        assertThat(p.expiresAt()).isEqualTo(clock.instant().plus(as.accessTokenLifetime()));
    }

    @Test
    void verifyWhenGrantRevokedByTheAuthorizationServerThenRefused() {
        Grant g = grant("g-2");
        String token = issuer.issue(g, Set.of("mcp"), g.resources(), clock.instant());
        verifier.verify(token);

        stores.grants().revoke("g-2");

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error().getCode()).isEqualTo("invalid_token"));
    }

    @Test
    void verifyWhenIssuedForAnotherResourceThenRefused() {
        Grant g = grant("g-3");
        String token = issuer.issue(g, Set.of("mcp"), List.of(URI.create("https://rs.example.com/other")),
                clock.instant());

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(OAuthException.class);
    }

    @Test
    void verifyWhenSigningKeyRotatedThenTokensOfTheSuccessorKeyAccepted() {
        Grant g = grant("g-4");
        String before = issuer.issue(g, Set.of("mcp"), g.resources(), clock.instant());
        clock.advance(Duration.ofDays(89).plusHours(12)); // past publish lead of the 90-day key: successor published
        keys.currentKey();
        clock.advance(Duration.ofDays(1)); // the successor now signs
        keys.invalidate();
        Grant g2 = grant("g-5");
        String after = issuer.issue(g2, Set.of("mcp"), g2.resources(), clock.instant());

        assertThat(verifier.verify(after).grantId()).contains("g-5");
        assertThat(kid(before)).isNotEqualTo(kid(after));
    }

    private static String kid(String token) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
