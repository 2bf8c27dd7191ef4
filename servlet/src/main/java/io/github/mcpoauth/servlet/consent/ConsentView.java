package io.github.mcpoauth.servlet.consent;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a consent page shows and what its form must send back. A custom page must post every entry of
 * {@link #hiddenFields()} unchanged to {@link #formAction()}, plus {@code decision=approve} or
 * {@code decision=deny}.
 *
 * @param clientName the client's name (its {@code client_name}, or its id); untrusted text, escape it
 * @param clientId the client id
 * @param redirectHost the host the user will be sent back to (shown so a look-alike client is noticed)
 * @param scopes the scopes requested
 * @param resources the resources (MCP servers) the tokens will be valid for
 * @param subject the logged-in user
 * @param formAction where the form posts to
 * @param hiddenFields the fields the form must send back, CSRF token included
 * @param locales the languages the browser prefers, most preferred first ({@code Accept-Language}, RFC 9110
 *     §12.5.4)
 */
public record ConsentView(String clientName, String clientId, String redirectHost, List<String> scopes,
        List<String> resources, String subject, String formAction, Map<String, List<String>> hiddenFields,
        List<Locale> locales) {

    /** The name of the submit field. */
    public static final String DECISION = "decision";
    /** The value of {@link #DECISION} that approves. */
    public static final String APPROVE = "approve";
    /** The value of {@link #DECISION} that denies. */
    public static final String DENY = "deny";

    /** Checks the invariants and copies the collections. */
    public ConsentView {
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectHost, "redirectHost");
        scopes = List.copyOf(scopes);
        resources = List.copyOf(resources);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(formAction, "formAction");
        hiddenFields = Map.copyOf(hiddenFields);
        locales = List.copyOf(locales);
    }

    /** A view for a browser that states no language preference. */
    public ConsentView(String clientName, String clientId, String redirectHost, List<String> scopes,
            List<String> resources, String subject, String formAction, Map<String, List<String>> hiddenFields) {
        this(clientName, clientId, redirectHost, scopes, resources, subject, formAction, hiddenFields, List.of());
    }

    /**
     * The https host of the client's metadata document when the client id is one (a Client ID Metadata Document:
     * the server fetched the client's metadata from that host), empty for a registered client, whose name is
     * self-asserted.
     */
    public java.util.Optional<String> verifiedHost() {
        if (!clientId.startsWith("https://")) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.ofNullable(java.net.URI.create(clientId).getHost());
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Whether the user will be sent back to this machine ({@code localhost} or a loopback address): a native app,
     * or something the user should only approve if they just started it (RFC 8252 §7.3).
     */
    public boolean redirectsToThisMachine() {
        String h = redirectHost.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.startsWith("127.") || h.equals("[::1]")
                || h.equals("::1");
    }

    /** Names the hidden fields without their values: one of them is the CSRF token. */
    @Override
    public String toString() {
        return "ConsentView[clientName=" + clientName + ", clientId=" + clientId + ", redirectHost=" + redirectHost
                + ", scopes=" + scopes + ", resources=" + resources + ", subject=" + subject + ", formAction="
                + formAction + ", hiddenFields=" + new java.util.TreeSet<>(hiddenFields.keySet()) + "]";
    }
}
