package io.github.mcpoauth.spring;

import java.util.Objects;

/**
 * An {@code mcp.oauth.*} property whose value the library refused. The application stops at start with a report
 * naming the property and the reason (see {@link InvalidMcpOAuthPropertyFailureAnalyzer}).
 */
public final class InvalidMcpOAuthPropertyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String reason;

    /**
     * A refused property.
     *
     * @param property the full property name, e.g. {@code mcp.oauth.issuer}
     * @param reason why its value was refused (never the value of a secret)
     * @param cause what the library threw, if anything
     */
    public InvalidMcpOAuthPropertyException(String property, String reason, Throwable cause) {
        super(Objects.requireNonNull(property, "property") + ": " + Objects.requireNonNull(reason, "reason"), cause);
        this.property = property;
        this.reason = reason;
    }

    /** The full property name. */
    public String property() {
        return property;
    }

    /** Why it was refused. */
    public String reason() {
        return reason;
    }
}
