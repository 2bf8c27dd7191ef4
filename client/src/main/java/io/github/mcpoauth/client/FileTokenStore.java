package io.github.mcpoauth.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.mcpoauth.client.internal.Http;

/**
 * {@link TokenStore#file(Path)}: one JSON file, rewritten atomically (temporary file in the same folder, then a
 * move) on every change, with owner-only permissions. Concurrent use within one JVM is serialized; the file is not
 * meant to be shared by several processes at once.
 */
final class FileTokenStore implements TokenStore {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;

    FileTokenStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    @Override
    public synchronized Optional<StoredTokens> tokens(String serverUrl) {
        JsonNode t = read().path("tokens").get(serverUrl);
        if (t == null || !t.isObject()) {
            return Optional.empty();
        }
        Set<String> scopes = new HashSet<>();
        t.path("scopes").forEach(s -> scopes.add(s.asText()));
        return Optional.of(new StoredTokens(t.path("issuer").asText(), t.path("token_type").asText("Bearer"),
                t.path("access_token").asText(),
                opt(t, "refresh_token"), opt(t, "expires_at").map(Instant::parse), scopes));
    }

    @Override
    public synchronized void saveTokens(String serverUrl, StoredTokens tokens) {
        ObjectNode root = read();
        ObjectNode t = root.with("tokens").putObject(serverUrl);
        t.put("issuer", tokens.issuer());
        t.put("token_type", tokens.tokenType());
        t.put("access_token", tokens.accessToken());
        tokens.refreshToken().ifPresent(r -> t.put("refresh_token", r));
        tokens.expiresAt().ifPresent(e -> t.put("expires_at", e.toString()));
        ArrayNode scopes = t.putArray("scopes");
        tokens.scopes().stream().sorted().forEach(scopes::add);
        write(root);
    }

    @Override
    public synchronized void removeTokens(String serverUrl) {
        ObjectNode root = read();
        root.with("tokens").remove(serverUrl);
        write(root);
    }

    @Override
    public synchronized Optional<StoredClient> client(String issuer) {
        JsonNode c = read().path("clients").get(issuer);
        if (c == null || !c.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new StoredClient(issuer, c.path("client_id").asText(), opt(c, "client_secret"),
                c.path("auth_method").asText("none")));
    }

    @Override
    public synchronized void saveClient(StoredClient client) {
        ObjectNode root = read();
        ObjectNode c = root.with("clients").putObject(client.issuer());
        c.put("client_id", client.clientId());
        client.clientSecret().ifPresent(s -> c.put("client_secret", s));
        c.put("auth_method", client.authMethod());
        write(root);
    }

    private static Optional<String> opt(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    private ObjectNode read() {
        if (!Files.exists(file)) {
            return Http.json().createObjectNode();
        }
        try {
            JsonNode n = Http.json().readTree(file.toFile());
            return n instanceof ObjectNode o ? o : Http.json().createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException("token store " + file + " is not readable JSON", e);
        }
    }

    private void write(ObjectNode root) {
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
            FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp", attrs);
            try {
                Files.write(tmp, Http.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                if (posix) {
                    Files.setPosixFilePermissions(file, OWNER_ONLY);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("token store " + file + " could not be written", e);
        }
    }
}
