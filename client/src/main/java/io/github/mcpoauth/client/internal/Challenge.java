package io.github.mcpoauth.client.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a {@code Bearer} (or {@code DPoP}) challenge in {@code WWW-Authenticate}
 * (<a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc9728#section-5.1">RFC 9728 §5.1</a>).
 *
 * @param error the {@code error} parameter, if any
 * @param scope the {@code scope} parameter, if any
 * @param resourceMetadata the {@code resource_metadata} URL, if any
 */
public record Challenge(Optional<String> error, Optional<String> scope, Optional<String> resourceMetadata) {

    private static final int MAX_HEADER = 8192;

    /** No challenge at all. */
    public static Challenge none() {
        return new Challenge(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Parses the first Bearer or DPoP challenge among the header values; anything malformed is ignored. */
    public static Challenge parse(List<String> headerValues) {
        for (String value : headerValues) {
            if (value == null || value.length() > MAX_HEADER) {
                continue;
            }
            Map<String, String> params = parseOne(value);
            if (params != null) {
                return new Challenge(Optional.ofNullable(params.get("error")), Optional.ofNullable(params.get("scope")),
                        Optional.ofNullable(params.get("resource_metadata")));
            }
        }
        return none();
    }

    private static Map<String, String> parseOne(String header) {
        String h = header.trim();
        int sp = h.indexOf(' ');
        String scheme = (sp < 0 ? h : h.substring(0, sp)).toLowerCase(Locale.ROOT);
        if (!scheme.equals("bearer") && !scheme.equals("dpop")) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        int i = sp < 0 ? h.length() : sp + 1;
        while (i < h.length()) {
            while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
                i++;
            }
            int eq = h.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < h.length() && h.charAt(i) == '"') {
                i++;
                while (i < h.length() && h.charAt(i) != '"') {
                    if (h.charAt(i) == '\\' && i + 1 < h.length()) {
                        i++;
                    }
                    v.append(h.charAt(i++));
                }
                i++;
            } else {
                while (i < h.length() && h.charAt(i) != ',') {
                    v.append(h.charAt(i++));
                }
            }
            out.putIfAbsent(name, v.toString().trim());
        }
        return out;
    }
}
