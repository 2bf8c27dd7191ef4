package io.github.mcpoauth.core.resource;

import io.github.mcpoauth.core.internal.resource.CompactTokens;
import java.util.Base64;

/**
 * Cheap checks on a token before it reaches a JSON parser or any cryptography (SECURITY case 31): length,
 * character set, the three segments of a compact JWS, and the nesting depth of its header and payload JSON, so
 * that a hostile token costs a linear scan at most and can never exhaust the stack.
 */
final class TokenShape {

    /** The largest decoded JWS header accepted. */
    static final int MAX_HEADER_BYTES = 2048;
    /** The deepest JSON nesting accepted in a header or claims set. */
    static final int MAX_DEPTH = 16;

    private TokenShape() {
    }

    /** A compact JWS (RFC 7515 §7.1): three non-empty base64url segments, nothing else. */
    static void checkJws(String token, int maxLength) throws TokenRejected {
        checkLength(token, maxLength);
        int first = -1;
        int second = -1;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (first < 0) {
                    first = i;
                } else if (second < 0) {
                    second = i;
                } else {
                    throw new TokenRejected("more than three segments");
                }
            } else if (!CompactTokens.isBase64Url(c)) {
                throw new TokenRejected("character outside base64url");
            }
        }
        if (first <= 0 || second <= first + 1 || second == token.length() - 1) {
            throw new TokenRejected("not three non-empty segments");
        }
        if (first > (MAX_HEADER_BYTES * 4 + 2) / 3) {
            throw new TokenRejected("header too large");
        }
        checkDepth(decode(token.substring(0, first)), "header");
        checkDepth(decode(token.substring(first + 1, second)), "payload");
    }

    /** An opaque bearer token: RFC 6750 §2.1 {@code b64token} characters. */
    static void checkOpaque(String token, int maxLength) throws TokenRejected {
        checkLength(token, maxLength);
        int i = 0;
        while (i < token.length() && isB64Token(token.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new TokenRejected("not a b64token");
        }
        while (i < token.length() && token.charAt(i) == '=') {
            i++;
        }
        if (i != token.length()) {
            throw new TokenRejected("character outside b64token");
        }
    }

    static void checkLength(String token, int maxLength) throws TokenRejected {
        if (token == null || token.isEmpty()) {
            throw new TokenRejected("empty token");
        }
        if (token.length() > maxLength) {
            throw new TokenRejected("token longer than " + maxLength + " characters");
        }
    }

    private static byte[] decode(String segment) throws TokenRejected {
        try {
            return Base64.getUrlDecoder().decode(segment);
        } catch (IllegalArgumentException e) {
            throw new TokenRejected("segment is not base64url");
        }
    }

    /** Counts {@code [} and {@code {} outside strings; the bytes need not be valid JSON, that comes later. */
    static void checkDepth(byte[] json, String what) throws TokenRejected {
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        for (byte b : json) {
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                if (++depth > MAX_DEPTH) {
                    throw new TokenRejected(what + " nested deeper than " + MAX_DEPTH);
                }
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
    }

    private static boolean isB64Token(char c) {
        return CompactTokens.isBase64Url(c) || c == '.' || c == '~' || c == '+' || c == '/';
    }
}
