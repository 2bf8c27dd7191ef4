package io.github.mcpoauth.core.store;

import com.nimbusds.oauth2.sdk.id.ClientID;
import java.util.Optional;

/** Storage of {@link Consent}s, one per (subject, client). */
public interface ConsentStore {

    /** Saves a consent, replacing the one for the same subject and client. */
    void save(Consent consent);

    /** The consent of {@code subject} for {@code clientId}, if any. */
    Optional<Consent> find(String subject, ClientID clientId);

    /** Forgets the consent of {@code subject} for {@code clientId}, if any. */
    void revoke(String subject, ClientID clientId);
}
