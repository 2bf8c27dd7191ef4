package io.github.mcpoauth.core.store.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.internal.settings.Caches;
import io.github.mcpoauth.core.store.Consent;
import io.github.mcpoauth.core.store.ConsentStore;
import java.util.Optional;

final class MemoryConsentStore implements ConsentStore {

    private record Key(String subject, ClientID clientId) {
    }

    private final Cache<Key, Consent> consents;

    MemoryConsentStore(int maxSize) {
        this.consents = Caches.builder().maximumSize(maxSize).build();
    }

    @Override
    public void save(Consent consent) {
        consents.put(new Key(consent.subject(), consent.clientId()), consent);
    }

    @Override
    public Optional<Consent> find(String subject, ClientID clientId) {
        return Optional.ofNullable(consents.getIfPresent(new Key(subject, clientId)));
    }

    @Override
    public void revoke(String subject, ClientID clientId) {
        consents.invalidate(new Key(subject, clientId));
    }
}
