package io.github.mcpoauth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both stores pass the same contract; the file store also keeps its file private and survives a restart. */
class TokenStoreTest {

    @TempDir
    Path dir;

    private static final StoredTokens TOKENS = new StoredTokens("https://as.example", "Bearer", "secret-access",
            Optional.of("secret-refresh"), Optional.of(Instant.parse("2026-01-01T00:00:00Z")), Set.of("mcp", "b"));
    private static final StoredClient CLIENT = new StoredClient("https://as.example", "client-1",
            Optional.of("secret-client"), "client_secret_basic");

    private void contract(Supplier<TokenStore> factory) {
        TokenStore store = factory.get();
        assertThat(store.tokens("https://mcp.example/mcp")).isEmpty();
        store.saveTokens("https://mcp.example/mcp", TOKENS);
        store.saveClient(CLIENT);
        TokenStore reopened = factory.get();
        assertThat(reopened.tokens("https://mcp.example/mcp")).contains(TOKENS);
        assertThat(reopened.client("https://as.example")).contains(CLIENT);
        assertThat(reopened.client("https://other-as.example")).isEmpty();
        reopened.removeTokens("https://mcp.example/mcp");
        assertThat(factory.get().tokens("https://mcp.example/mcp")).isEmpty();
        reopened.removeClient("https://as.example");
        assertThat(factory.get().client("https://as.example")).isEmpty();
    }

    @Test
    void whenUsedThenInMemoryStoreKeepsTokensAndRegistrationsByKey() {
        TokenStore shared = TokenStore.inMemory();
        contract(() -> shared);
    }

    @Test
    void whenReopenedThenFileStoreStillHoldsTokensAndRegistrations() {
        Path file = dir.resolve("sub/tokens.json");
        contract(() -> TokenStore.file(file));
    }

    @Test
    void whenWrittenThenFileIsReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("tokens.json");
        TokenStore.file(file).saveTokens("https://mcp.example/mcp", TOKENS);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        Path lock = dir.resolve("tokens.json.lock");
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock))).isEqualTo("rw-------");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(file, lock); // no temporary file left behind
        }
    }

    @Test
    void whenTwoStoresOnOneFileWriteConcurrentlyThenNoUpdateIsLost() throws Exception {
        Path file = dir.resolve("tokens.json");
        TokenStore[] stores = {TokenStore.file(file), TokenStore.file(file)};
        int threads = 8;
        int writes = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                TokenStore store = stores[t % 2];
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < writes; i++) {
                        store.saveTokens("https://mcp.example/" + thread + "/" + i, TOKENS);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        TokenStore reopened = TokenStore.file(file);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < writes; i++) {
                assertThat(reopened.tokens("https://mcp.example/" + t + "/" + i)).as("key %d/%d", t, i).isPresent();
            }
        }
    }

    @Test
    void whenAStoredValueIsUnparsableThenItReadsAsAbsent() throws Exception {
        Path file = dir.resolve("tokens.json");
        Files.writeString(file, "{\"tokens\":{\"https://mcp.example/mcp\":{\"issuer\":\"https://as.example\","
                + "\"access_token\":\"at\",\"expires_at\":\"tomorrow\"},\"https://mcp.example/b\":{\"issuer\":7}},"
                + "\"clients\":{\"https://as.example\":{\"client_id\":[]}}}");
        TokenStore store = TokenStore.file(file);

        assertThat(store.tokens("https://mcp.example/mcp")).hasValueSatisfying(t -> {
            assertThat(t.accessToken()).isEqualTo("at");
            assertThat(t.expiresAt()).isEmpty();
        });
        assertThat(store.tokens("https://mcp.example/b")).isEmpty();
        assertThat(store.client("https://as.example")).isEmpty();

        Files.writeString(file, "not json at all");
        assertThat(store.tokens("https://mcp.example/mcp")).isEmpty();
        store.saveClient(CLIENT);
        assertThat(TokenStore.file(file).client("https://as.example")).contains(CLIENT);
    }

    @Test
    void whenPrintedThenNoSecretIsShown() {
        assertThat(TOKENS.toString()).doesNotContain("secret-access", "secret-refresh");
        assertThat(CLIENT.toString()).doesNotContain("secret-client");
        assertThat(ClientCredentials.secretBasic("id", "secret-x").toString()).doesNotContain("secret-x");
    }
}
