package io.github.mcpoauth.core.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.Consent;
import io.github.mcpoauth.core.store.ConsentStore;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ConsentStore}: one consent per subject and client, never shared between clients (MCP
 * security best practices, "confused deputy"). Subclass it and return a store from {@link #createStore}.
 */
public abstract class ConsentStoreContract {

    /** The clock handed to the store. */
    protected final MutableClock clock = MutableClock.at(MutableClock.START);

    /** The store under test, created before each test. */
    protected ConsentStore store;

    /** A store to test, on {@code clock}. */
    protected abstract ConsentStore createStore(Clock clock);

    @BeforeEach
    public void createStoreUnderTest() {
        store = createStore(clock);
    }

    @Test
    public void whenSavedThenFound() {
        Consent consent = TestConsents.consent().scopes("mcp:read", "mcp:write")
                .resources("https://a.example.com/mcp", "https://b.example.com/mcp").build();

        store.save(consent);

        assertThat(store.find(consent.subject(), consent.clientId())).contains(consent);
    }

    @Test
    public void whenSavedWithNoScopesThenFound() {
        Consent consent = TestConsents.consent().scopes().resources().build();

        store.save(consent);

        assertThat(store.find(consent.subject(), consent.clientId())).contains(consent);
    }

    @Test
    public void whenUnknownThenEmpty() {
        assertThat(store.find("nobody-" + System.nanoTime(), new ClientID("no-client"))).isEmpty();
    }

    @Test
    public void whenSavedAgainForSameSubjectAndClientThenReplaced() {
        Consent first = TestConsents.consent().build();
        Consent second = TestConsents.consent().subject(first.subject()).clientId(first.clientId())
                .scopes("mcp:read", "mcp:admin").grantedAt(MutableClock.START.plus(Duration.ofHours(1))).build();

        store.save(first);
        store.save(second);

        assertThat(store.find(first.subject(), first.clientId())).contains(second);
    }

    @Test
    public void whenAnotherClientAsksThenConsentIsNotShared() {
        Consent consent = TestConsents.consent().build();
        store.save(consent);

        assertThat(store.find(consent.subject(), new ClientID(consent.clientId().getValue() + "-other"))).isEmpty();
    }

    @Test
    public void whenAnotherSubjectAsksThenConsentIsNotShared() {
        Consent consent = TestConsents.consent().build();
        store.save(consent);

        assertThat(store.find(consent.subject() + "-other", consent.clientId())).isEmpty();
    }

    @Test
    public void whenRevokedThenNotFound() {
        Consent consent = TestConsents.consent().build();
        store.save(consent);

        store.revoke(consent.subject(), consent.clientId());

        assertThat(store.find(consent.subject(), consent.clientId())).isEmpty();
    }

    @Test
    public void whenOneRevokedThenOtherClientsAndSubjectsKept() {
        Consent revoked = TestConsents.consent().build();
        Consent sameSubject = TestConsents.consent().subject(revoked.subject()).build();
        Consent sameClient = TestConsents.consent().clientId(revoked.clientId()).build();
        store.save(revoked);
        store.save(sameSubject);
        store.save(sameClient);

        store.revoke(revoked.subject(), revoked.clientId());

        assertThat(store.find(sameSubject.subject(), sameSubject.clientId())).contains(sameSubject);
        assertThat(store.find(sameClient.subject(), sameClient.clientId())).contains(sameClient);
    }

    @Test
    public void whenRevokingUnknownConsentThenNothingHappens() {
        store.revoke("nobody-" + System.nanoTime(), new ClientID("no-client"));
    }
}
