package io.github.mcpoauth.servlet.security;

import com.nimbusds.oauth2.sdk.id.ClientID;
import io.github.mcpoauth.core.store.AuthorizationCode;
import io.github.mcpoauth.core.store.AuthorizationCodeStore;
import io.github.mcpoauth.core.store.ClientStore;
import io.github.mcpoauth.core.store.Consent;
import io.github.mcpoauth.core.store.ConsentStore;
import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.GrantStore;
import io.github.mcpoauth.core.store.RegisteredClient;
import io.github.mcpoauth.core.store.SigningKey;
import io.github.mcpoauth.core.store.SigningKeyStore;
import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.memory.InMemoryStores;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory stores that remember every argument any store method was called with: what the server saves and what
 * it looks up. A test then checks that no raw secret ever reached a store, only hashes.
 */
final class RecordingStores {

    private final List<Object> arguments = new CopyOnWriteArrayList<>();
    private final Stores stores;

    RecordingStores(Clock clock) {
        Stores inner = InMemoryStores.create(clock);
        this.stores = new Stores(clients(inner.clients()), codes(inner.codes()), grants(inner.grants()),
                consents(inner.consents()), keys(inner.keys()));
    }

    Stores stores() {
        return stores;
    }

    /** Every argument seen, each dumped with all its record components (also those toString leaves out). */
    String dump() {
        StringBuilder b = new StringBuilder();
        for (Object o : arguments) {
            deep(o, b);
            b.append('\n');
        }
        return b.toString();
    }

    private void record(Object... args) {
        arguments.addAll(Arrays.asList(args));
    }

    static void deep(Object o, StringBuilder b) {
        if (o instanceof Record r) {
            b.append(r.getClass().getSimpleName()).append('[');
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    b.append(c.getName()).append('=');
                    deep(c.getAccessor().invoke(r), b);
                    b.append(", ");
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            b.append(']');
        } else if (o instanceof Optional<?> opt) {
            deep(opt.orElse(null), b);
        } else if (o instanceof Collection<?> c) {
            c.forEach(e -> {
                deep(e, b);
                b.append(' ');
            });
        } else if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                deep(k, b);
                b.append('=');
                deep(v, b);
                b.append(' ');
            });
        } else {
            b.append(o);
        }
    }

    private ClientStore clients(ClientStore s) {
        return new ClientStore() {
            @Override
            public void save(RegisteredClient client) {
                record(client);
                s.save(client);
            }

            @Override
            public Optional<RegisteredClient> findById(ClientID clientId) {
                record(clientId);
                return s.findById(clientId);
            }

            @Override
            public void delete(ClientID clientId) {
                record(clientId);
                s.delete(clientId);
            }
        };
    }

    private AuthorizationCodeStore codes(AuthorizationCodeStore s) {
        return new AuthorizationCodeStore() {
            @Override
            public void save(AuthorizationCode code) {
                record(code);
                s.save(code);
            }

            @Override
            public Optional<AuthorizationCode> find(String codeHash) {
                record(codeHash);
                return s.find(codeHash);
            }

            @Override
            public boolean consume(String codeHash) {
                record(codeHash);
                return s.consume(codeHash);
            }
        };
    }

    private GrantStore grants(GrantStore s) {
        return new GrantStore() {
            @Override
            public void save(Grant grant) {
                record(grant);
                s.save(grant);
            }

            @Override
            public Optional<Grant> findById(String grantId) {
                record(grantId);
                return s.findById(grantId);
            }

            @Override
            public Optional<Grant> findByRefreshToken(String grantId, String refreshTokenHash) {
                record(grantId, refreshTokenHash);
                return s.findByRefreshToken(grantId, refreshTokenHash);
            }

            @Override
            public boolean rotate(String grantId, String expectedHash, String newHash, Instant newExpiresAt) {
                record(grantId, expectedHash, newHash, newExpiresAt);
                return s.rotate(grantId, expectedHash, newHash, newExpiresAt);
            }

            @Override
            public void revoke(String grantId) {
                record(grantId);
                s.revoke(grantId);
            }
        };
    }

    private ConsentStore consents(ConsentStore s) {
        return new ConsentStore() {
            @Override
            public void save(Consent consent) {
                record(consent);
                s.save(consent);
            }

            @Override
            public Optional<Consent> find(String subject, ClientID clientId) {
                record(subject, clientId);
                return s.find(subject, clientId);
            }

            @Override
            public void revoke(String subject, ClientID clientId) {
                record(subject, clientId);
                s.revoke(subject, clientId);
            }
        };
    }

    private SigningKeyStore keys(SigningKeyStore s) {
        return new SigningKeyStore() {
            @Override
            public void save(SigningKey key) {
                s.save(key); // key material, by design: the store must be protected, not blind
            }

            @Override
            public List<SigningKey> findAll() {
                return s.findAll();
            }
        };
    }
}
