package io.github.mcpoauth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
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
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void whenPrintedThenNoSecretIsShown() {
        assertThat(TOKENS.toString()).doesNotContain("secret-access", "secret-refresh");
        assertThat(CLIENT.toString()).doesNotContain("secret-client");
        assertThat(ClientCredentials.secretBasic("id", "secret-x").toString()).doesNotContain("secret-x");
    }
}
