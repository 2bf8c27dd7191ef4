package io.github.mcpoauth.core.internal.error;

import io.github.mcpoauth.core.error.OAuthException;
import java.util.regex.Pattern;

/**
 * Client input made safe to quote in an error description or a log line: cut to a length, and every character
 * outside a small ASCII range replaced by {@code ?}, so that a client can neither forge log lines (CR, LF) nor
 * smuggle markup or odd Unicode into what the server writes. A character outside the Basic Multilingual Plane
 * becomes one {@code ?}.
 *
 * <p>{@link OAuthException#of} applies the RFC 6749 §5.2 rule to every description on top of this.
 */
public final class Printable {

    private static final Pattern NOT_ASCII = Pattern.compile("[^\\x20-\\x7E]");
    private static final Pattern NOT_VISIBLE = Pattern.compile("[^\\x21-\\x7E]");

    private Printable() {
    }

    /**
     * {@code s} cut to its first {@code max} characters, with everything outside printable ASCII (space to
     * {@code ~}, %x20-7E) replaced by {@code ?}: for a value quoted inside a sentence.
     */
    public static String ascii(String s, int max) {
        return NOT_ASCII.matcher(cut(s, max)).replaceAll("?");
    }

    /**
     * {@code s} cut to its first {@code max} characters, with everything outside visible ASCII (RFC 5234 VCHAR,
     * %x21-7E) replaced by {@code ?}: for a value in a {@code key=value} log field, where a space would start a
     * field of its own.
     */
    public static String visible(String s, int max) {
        return NOT_VISIBLE.matcher(cut(s, max)).replaceAll("?");
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
