package io.github.mcpoauth.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditLogLineTest {

    @Test
    void whenAClaimedIdCarriesLineBreaksThenTheLogLineCannotBeForged() {
        String forged = AuditListener.clean("evil\r\nINFO: CONSENT_GRANTED client=victim\u2028x");

        assertThat(forged).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u2028")
                .isEqualTo("evil??INFO: CONSENT_GRANTED client=victim?x");
    }

    @Test
    void whenAValueIsHugeThenItIsCut() {
        assertThat(AuditListener.clean("a".repeat(10_000))).hasSize(201).endsWith("…");
    }
}
