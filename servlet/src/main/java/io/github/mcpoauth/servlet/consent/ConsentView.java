package io.github.mcpoauth.servlet.consent;

import java.util.List;
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
 */
public record ConsentView(String clientName, String clientId, String redirectHost, List<String> scopes,
        List<String> resources, String subject, String formAction, Map<String, List<String>> hiddenFields) {

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
    }
}
