package io.github.mcpoauth.core.store.testkit;

import io.github.mcpoauth.core.internal.crypto.Secrets;
import java.security.SecureRandom;

/** Fresh random values for the fixture builders, so that fixtures never collide across tests or runs. */
final class Fixtures {

    private static final Secrets SECRETS = Secrets.using(new SecureRandom());

    private Fixtures() {
    }

    /** The hash of a fresh secret, as a store holds it. */
    static String newHash() {
        return Secrets.hash(SECRETS.newSecret());
    }

    /** A fresh identifier with {@code prefix}. */
    static String newId(String prefix) {
        return prefix + SECRETS.newId(12);
    }
}
