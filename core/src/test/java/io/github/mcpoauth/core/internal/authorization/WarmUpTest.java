package io.github.mcpoauth.core.internal.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.AuthorizationServer;
import io.github.mcpoauth.core.fixtures.RecordingAuditListener;
import io.github.mcpoauth.core.fixtures.TestServer;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.settings.DpopSettings;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import io.github.mcpoauth.core.store.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The warm-up at start (issue 13, item 2): whole flows on a throwaway server, nothing left in the real one. */
class WarmUpTest {

    private final MutableClock clock = MutableClock.atStart();

    @Test
    void whenRunThenEveryFlowCompletesRegistrationToRefresh() {
        int done = WarmUp.run(TestServer.settings(clock).build(), s -> s.resources(), 3, Duration.ofMinutes(1),
                () -> false);

        assertThat(done).isEqualTo(3);
    }

    @Test
    void whenAServerWarmsUpThenItsStoresAndAuditListenerSeeNothing() throws Exception {
        AuthorizationServerSettings settings = TestServer.settings(clock).build();
        InMemoryStores memory = InMemoryStores.newBuilder(clock).build();
        Stores stores = memory.stores();
        RecordingAuditListener audit = new RecordingAuditListener();

        try (AuthorizationServer server = AuthorizationServer.builder().settings(settings).stores(stores)
                .auditListener(audit).warmUpFlows(3).build()) {
            server.close(); // waits for the background flows
            assertThat(audit.events()).isEmpty();
            List<String> own = server.signingKeys().publicJwks().getKeys().stream().map(k -> k.getKeyID()).toList();
            assertThat(stores.keys().findAll()).extracting(k -> k.keyId()).isNotEmpty().allMatch(own::contains);
            assertThat(stores.clients().findById(new ClientID("mcp-oauth-warm-up"))).isEmpty();
            assertThat(stores.consents().find("mcp-oauth-warm-up", new ClientID("any"))).isEmpty();
        }
    }

    @Test
    void whenTheServerClosesThenNoFurtherFlowRuns() {
        int done = WarmUp.run(TestServer.settings(clock).build(), s -> List.of(), 100, Duration.ofMinutes(1),
                () -> true);

        assertThat(done).isZero();
    }

    @Test
    void whenTheTokenEndpointRefusesThenTheWarmUpEndsQuietly() {
        // DPoP required: the warm-up's bearer token request is refused; the server still starts
        AuthorizationServerSettings settings = TestServer.settings(clock)
                .dpop(DpopSettings.builder().required(true).build()).build();

        assertThat(WarmUp.run(settings, s -> List.of(), 5, Duration.ofMinutes(1), () -> false)).isZero();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (AuthorizationServer server = AuthorizationServer.builder().settings(settings).warmUpFlows(5).build()) {
            assertThat(server.settings()).isSameAs(settings);
        } catch (RuntimeException e) {
            failures.add(e);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void whenWarmUpFlowsIsOutOfRangeThenTheBuilderNamesIt() {
        assertThatThrownBy(() -> AuthorizationServer.builder().warmUpFlows(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmUpFlows");
        assertThatThrownBy(() -> AuthorizationServer.builder().warmUpFlows(10_001))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmUpFlows");
    }
}
