package io.github.mcpoauth.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.mcpoauth.client.internal.Http;

/**
 * {@link TokenStore#file(Path)}: one JSON file, rewritten atomically (temporary file in the same folder, then a
 * move) on every change, with owner-only permissions. Every read and every read-modify-write holds an exclusive
 * {@link FileLock} on a sibling {@code <name>.lock} file (owner-only too), so that two stores on one file, in one JVM
 * or in two processes, never write over each other's change (a rotated refresh token is not lost). A stored value
 * that cannot be parsed (a malformed {@code expires_at}, a non-JSON file) reads as absent.
 */
final class FileTokenStore implements TokenStore {

    private static final System.Logger LOG = System.getLogger(FileTokenStore.class.getName());
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /**
     * File locks belong to the whole JVM (a second lock on the same file from this JVM fails rather than waits), so
     * stores on one file in this JVM first take a lock of their own, per file: this map is that per-file lock table.
     */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private final ReentrantLock lock;

    FileTokenStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.lock = IN_PROCESS.computeIfAbsent(this.file, f -> new ReentrantLock());
    }

    @Override
    public Optional<StoredTokens> tokens(String serverUrl) {
        JsonNode t = snapshot().path("tokens").get(serverUrl);
        if (t == null || !t.isObject() || opt(t, "issuer").isEmpty() || opt(t, "access_token").isEmpty()) {
            return Optional.empty();
        }
        Set<String> scopes = new HashSet<>();
        t.path("scopes").forEach(s -> scopes.add(s.asText()));
        return Optional.of(new StoredTokens(t.path("issuer").asText(), t.path("token_type").asText("Bearer"),
                t.path("access_token").asText(), opt(t, "refresh_token"), instant(t, "expires_at"), scopes));
    }

    @Override
    public void saveTokens(String serverUrl, StoredTokens tokens) {
        change(root -> {
            ObjectNode t = root.with("tokens").putObject(serverUrl);
            t.put("issuer", tokens.issuer());
            t.put("token_type", tokens.tokenType());
            t.put("access_token", tokens.accessToken());
            tokens.refreshToken().ifPresent(r -> t.put("refresh_token", r));
            tokens.expiresAt().ifPresent(e -> t.put("expires_at", e.toString()));
            ArrayNode scopes = t.putArray("scopes");
            tokens.scopes().stream().sorted().forEach(scopes::add);
        });
    }

    @Override
    public void removeTokens(String serverUrl) {
        change(root -> root.with("tokens").remove(serverUrl));
    }

    @Override
    public Optional<StoredClient> client(String issuer) {
        JsonNode c = snapshot().path("clients").get(issuer);
        if (c == null || !c.isObject() || opt(c, "client_id").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StoredClient(issuer, c.path("client_id").asText(), opt(c, "client_secret"),
                c.path("auth_method").asText("none")));
    }

    @Override
    public void saveClient(StoredClient client) {
        change(root -> {
            ObjectNode c = root.with("clients").putObject(client.issuer());
            c.put("client_id", client.clientId());
            client.clientSecret().ifPresent(s -> c.put("client_secret", s));
            c.put("auth_method", client.authMethod());
        });
    }

    @Override
    public void removeClient(String issuer) {
        change(root -> root.with("clients").remove(issuer));
    }

    private ObjectNode snapshot() {
        return Files.exists(file) ? locked(root -> root) : Http.json().createObjectNode();
    }

    private void change(Consumer<ObjectNode> edit) {
        locked(root -> {
            edit.accept(root);
            write(root);
            return root;
        });
    }

    /** Runs {@code action} on the file's current content while holding the in-process and the file lock. */
    private <T> T locked(Function<ObjectNode, T> action) {
        lock.lock();
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(lockFile)) {
                try {
                    Files.createFile(lockFile, ownerOnly(file.getParent()));
                } catch (FileAlreadyExistsException e) {
                    // another process made it meanwhile
                }
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                    FileLock held = channel.lock()) {
                return action.apply(read());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("token store " + file + " could not be locked", e);
        } finally {
            lock.unlock();
        }
    }

    private static Optional<String> opt(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static Optional<Instant> instant(JsonNode n, String field) {
        try {
            return opt(n, field).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty(); // unknown expiry: the token is used until the server answers 401
        }
    }

    private ObjectNode read() {
        if (!Files.exists(file)) {
            return Http.json().createObjectNode();
        }
        try {
            JsonNode n = Http.json().readTree(file.toFile());
            return n instanceof ObjectNode o ? o : Http.json().createObjectNode();
        } catch (JsonProcessingException e) {
            LOG.log(System.Logger.Level.WARNING, "token store {0} is not JSON: read as empty", file);
            return Http.json().createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException("token store " + file + " is not readable", e);
        }
    }

    private void write(ObjectNode root) {
        try {
            Path dir = file.getParent();
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp", ownerOnly(dir));
            try {
                Files.write(tmp, Http.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(file, OWNER_ONLY);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("token store " + file + " could not be written", e);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path dir) throws IOException {
        return Files.getFileStore(dir).supportsFileAttributeView("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }
}
