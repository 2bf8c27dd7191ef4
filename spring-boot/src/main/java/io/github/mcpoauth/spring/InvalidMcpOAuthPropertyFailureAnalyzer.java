package io.github.mcpoauth.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidMcpOAuthPropertyException} into Spring Boot's "APPLICATION FAILED TO START" report: the
 * property, why it was refused, and what to do, instead of a long stack trace.
 */
public final class InvalidMcpOAuthPropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidMcpOAuthPropertyException> {

    /** Created by Spring Boot (listed in {@code META-INF/spring.factories}). */
    public InvalidMcpOAuthPropertyFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidMcpOAuthPropertyException cause) {
        return new FailureAnalysis("The property '" + cause.property() + "' is invalid: " + cause.reason(),
                "Fix '" + cause.property() + "' in your application properties (see docs/spring-boot.md of "
                        + "mcp-oauth for every mcp.oauth.* property and its allowed values).", cause);
    }
}
