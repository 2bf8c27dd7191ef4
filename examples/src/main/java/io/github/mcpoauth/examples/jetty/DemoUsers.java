package io.github.mcpoauth.examples.jetty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Hard-coded demo accounts. <strong>For the example only</strong>: real deployments plug their own user store
 * into the library's login SPI.
 *
 * <p>Passwords are kept as SHA-256 digests and compared in constant time; unknown users cost the same
 * comparison as known ones.
 */
public final class DemoUsers {

    /** alice / alice-password, bob / bob-password. */
    public static final DemoUsers DEFAULT = new DemoUsers(Map.of(
            "alice", "alice-password",
            "bob", "bob-password"));

    private static final byte[] NO_SUCH_USER = sha256("\u0000no-such-user\u0000");

    private final Map<String, byte[]> digests;

    public DemoUsers(Map<String, String> plainPasswords) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        plainPasswords.forEach((user, password) -> m.put(user, sha256(password)));
        this.digests = Collections.unmodifiableMap(m);
    }

    /** Returns the canonical username when the credentials are valid. */
    public Optional<String> authenticate(String username, String password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        String user = username.trim();
        byte[] expected = digests.getOrDefault(user, NO_SUCH_USER);
        boolean ok = MessageDigest.isEqual(expected, sha256(password)) && digests.containsKey(user);
        return ok ? Optional.of(user) : Optional.empty();
    }

    public Set<String> usernames() {
        return digests.keySet();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
