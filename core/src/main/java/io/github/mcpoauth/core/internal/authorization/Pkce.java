package io.github.mcpoauth.core.internal.authorization;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import java.util.regex.Pattern;

/**
 * PKCE with S256 only (RFC 7636, OAuth 2.1 §4.1.1, RFC 9700 §2.1.1): the challenge must be the 43-character
 * base64url SHA-256 of a verifier; the verifier must be 43 to 128 unreserved characters; the comparison runs in
 * constant time.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636#section-4.6">RFC 7636 §4.6</a>
 */
public final class Pkce {

    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private Pkce() {
    }

    /** Whether {@code challenge} has the form of an S256 challenge. */
    static boolean isWellFormedChallenge(String challenge) {
        return challenge != null && CHALLENGE.matcher(challenge).matches();
    }

    /** Whether {@code verifier} has the form RFC 7636 §4.1 requires. */
    static boolean isWellFormedVerifier(String verifier) {
        return verifier != null && VERIFIER.matcher(verifier).matches();
    }

    /** Whether {@code verifier} is well-formed and its S256 transform equals {@code challenge}. */
    public static boolean verify(String verifier, String challenge) {
        if (!isWellFormedVerifier(verifier) || !isWellFormedChallenge(challenge)) {
            return false;
        }
        String computed = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue();
        return Secrets.constantTimeEquals(computed, challenge);
    }
}
