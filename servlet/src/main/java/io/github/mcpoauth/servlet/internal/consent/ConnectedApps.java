package io.github.mcpoauth.servlet.internal.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.event.AuditEvent;
import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.servlet.consent.ConsentPage.ConnectedApp;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The connected-apps decisions, free of HTTP: a user's active grants as {@link ConnectedApp}s, and revoking one
 * of them. Revoking marks the grant revoked in the grant store, which the same-application revocation check reads
 * on every verification on every node (so its access tokens are refused at once, and its refresh token with it),
 * and withdraws the consent remembered for that client, so that the next authorization asks again.
 */
public final class ConnectedApps {

    private static final System.Logger LOG = System.getLogger(ConnectedApps.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Stores stores;
    private final Clock clock;
    private final AuditListener audit;

    /** Connected apps over {@code stores}. */
    public ConnectedApps(Stores stores, Clock clock, AuditListener audit) {
        this.stores = Objects.requireNonNull(stores, "stores");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** The user's active grants, newest first (at most {@link GrantStore#MAX_LISTED}). */
    public List<ConnectedApp> list(String subject) {
        return stores.grants().findBySubject(subject, GrantStore.MAX_LISTED).stream().map(this::describe).toList();
    }

    /**
     * Revokes the user's grant {@code grantId} and withdraws their consent for its client.
     *
     * @return whether the user had such an active grant (if not, nothing changed)
     */
    public boolean revoke(String subject, String grantId) {
        Optional<Grant> grant = stores.grants().findById(grantId);
        if (grant.isEmpty() || grant.get().revoked() || !grant.get().subject().equals(subject)) {
            return false;
        }
        Grant g = grant.get();
        stores.grants().revoke(g.grantId());
        stores.consents().revoke(subject, g.clientId());
        audit.onEvent(new AuditEvent(AuditEvent.Type.TOKEN_REVOKED, clock.instant(),
                Optional.of(g.clientId().getValue()), Optional.of(subject), Optional.of(g.grantId()),
                "grant revoked by its user on the connected-apps page; consent for the client withdrawn"));
        return true;
    }

    private ConnectedApp describe(GrantStore.ActiveGrant active) {
        Grant g = active.grant();
        Optional<RegisteredClient> client = client(g.clientId());
        String name = client.flatMap(RegisteredClient::clientName).orElse(g.clientId().getValue());
        return new ConnectedApp(g.grantId(), g.clientId().getValue(), name, verifiedHost(g.clientId().getValue()),
                client.flatMap(ConnectedApps::logoHost), g.scopes().stream().sorted().toList(),
                g.resources().stream().map(URI::toString).toList(), g.createdAt(), active.lastUsedAt());
    }

    private Optional<RegisteredClient> client(ClientID id) {
        try {
            return stores.clients().findById(id);
        } catch (RuntimeException e) {
            // A client whose metadata document cannot be read now is still listed (and revocable), by its id.
            LOG.log(System.Logger.Level.DEBUG, "client lookup failed for the connected-apps page", e);
            return Optional.empty();
        }
    }

    /** The https host of a client id that is a metadata document URL, else empty. */
    static Optional<String> verifiedHost(String clientId) {
        if (!clientId.startsWith("https://")) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(URI.create(clientId).getHost());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The host of the client's {@code logo_uri}, which is never fetched. */
    private static Optional<String> logoHost(RegisteredClient client) {
        try {
            JsonNode logo = JSON.readTree(client.metadataJson()).get("logo_uri");
            return logo == null || !logo.isTextual() ? Optional.empty()
                    : Optional.ofNullable(URI.create(logo.asText()).getHost());
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
