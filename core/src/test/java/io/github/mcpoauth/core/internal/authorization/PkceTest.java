package io.github.mcpoauth.core.internal.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.fixtures.PkcePair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PkceTest {

    @Test
    void whenRfc7636AppendixBVectorThenVerifies() {
        PkcePair b = PkcePair.rfc7636AppendixB();

        assertThat(Pkce.verify(b.verifier(), b.challenge())).isTrue();
    }

    @Test
    void whenVerifierDiffersByOneCharacterThenFails() {
        PkcePair b = PkcePair.rfc7636AppendixB();
        String other = b.verifier().substring(0, 42) + (b.verifier().charAt(42) == 'A' ? 'B' : 'A');

        assertThat(Pkce.verify(other, b.challenge())).isFalse();
    }

    @Test
    void whenVerifierIsSentAsTheChallengeItselfThenFails() {
        PkcePair b = PkcePair.rfc7636AppendixB();

        // "plain" downgrade: the challenge is a well-formed verifier, but S256 of it is not the challenge
        assertThat(Pkce.verify(b.challenge(), b.challenge())).isFalse();
    }

    @Test
    void whenRandomPairsThenEachVerifiesOnlyItsOwnChallenge() {
        PkcePair a = PkcePair.random();
        PkcePair c = PkcePair.random();

        assertThat(Pkce.verify(a.verifier(), a.challenge())).isTrue();
        assertThat(Pkce.verify(a.verifier(), c.challenge())).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"short", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c", // 42
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-co=", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-co0",
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c+", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c/",
        " E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c\n"})
    void whenChallengeIsNot43Base64UrlCharactersThenItIsNotWellFormed(String challenge) {
        assertThat(Pkce.isWellFormedChallenge(challenge)).isFalse();
        assertThat(Pkce.verify(PkcePair.rfc7636AppendixB().verifier(), challenge)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"tooshort", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX", // 42
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk!", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk ",
        "dBjftJeZ4CVP+mB92K27uhbUJU1p1r_wW1gFWFOEjXk"})
    void whenVerifierIsMalformedThenItIsNotWellFormedAndDoesNotVerify(String verifier) {
        assertThat(Pkce.isWellFormedVerifier(verifier)).isFalse();
        assertThat(Pkce.verify(verifier, PkcePair.rfc7636AppendixB().challenge())).isFalse();
    }

    @Test
    void whenVerifierIs43Or128UnreservedCharactersThenItIsWellFormed() {
        assertThat(Pkce.isWellFormedVerifier("a".repeat(43))).isTrue();
        assertThat(Pkce.isWellFormedVerifier("a.b_c~d-".repeat(16))).isTrue();
        assertThat(Pkce.isWellFormedVerifier("a".repeat(129))).isFalse();
    }
}
