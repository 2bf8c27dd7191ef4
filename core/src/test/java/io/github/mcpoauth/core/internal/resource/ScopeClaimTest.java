package io.github.mcpoauth.core.internal.resource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one reading of a {@code scope} claim: names between single spaces, empty ones skipped, order kept. */
class ScopeClaimTest {

    @Test
    void whenTheClaimIsAbsentOrEmptyThenNoScopes() {
        assertThat(ScopeClaim.parse(null)).isEmpty();
        assertThat(ScopeClaim.parse("")).isEmpty();
        assertThat(ScopeClaim.parse("  ")).isEmpty();
    }

    @Test
    void whenNamesAreRepeatedOrTwoSpacesApartThenEachNameOnceInItsFirstPlace() {
        assertThat(ScopeClaim.parse("mcp:tools  mcp:read mcp:tools ")).containsExactly("mcp:tools", "mcp:read");
    }
}
