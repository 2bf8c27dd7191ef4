package io.github.mcpoauth.core.store.memory;

import io.github.mcpoauth.core.store.Grant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One shared instance per equal immutable value, for the values most grants repeat: their scope sets and resource
 * lists (a server protects a few resources with a few scopes, yet every request parses them afresh, about 500
 * bytes a grant). Bounded: past {@code maxValues} distinct values new ones are kept as they come, never dropped or
 * refused, so the table cannot grow with hostile input.
 */
final class Interner {

    /** Distinct values remembered by default. */
    static final int DEFAULT_SIZE = 4096;

    private final ConcurrentMap<Object, Object> values = new ConcurrentHashMap<>();
    private final int maxValues;

    Interner(int maxValues) {
        this.maxValues = maxValues;
    }

    /** {@code grant}, its scopes and resources replaced by the shared equal instances (an equal grant). */
    Grant compact(Grant grant) {
        var scopes = intern(grant.scopes());
        var resources = intern(grant.resources());
        if (scopes == grant.scopes() && resources == grant.resources()) {
            return grant;
        }
        return new Grant(grant.grantId(), grant.clientId(), grant.subject(), scopes, resources, grant.createdAt(),
                grant.refreshTokenHash(), grant.expiresAt(), grant.revoked(), grant.refreshTokenJkt());
    }

    /** The shared instance equal to {@code value} (an immutable value), or {@code value} itself. */
    @SuppressWarnings("unchecked")
    <T> T intern(T value) {
        Object known = values.get(value);
        if (known != null) {
            return (T) known;
        }
        if (values.size() >= maxValues) {
            return value;
        }
        Object raced = values.putIfAbsent(value, value);
        return raced == null ? value : (T) raced;
    }
}
