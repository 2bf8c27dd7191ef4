package io.github.mcpoauth.client;

/**
 * Supplies the JWT for the JWT bearer grant (<a href="https://www.rfc-editor.org/rfc/rfc7523#section-2.1">RFC 7523
 * §2.1</a>): a workload identity token, or an ID-JAG from {@link EnterpriseAuthorization}.
 */
@FunctionalInterface
public interface AssertionSource {

    /**
     * @param issuer the authorization server the assertion is for (its audience)
     * @param resource the MCP server's resource identifier (RFC 8707), or null when it published none
     * @return a JWT
     * @throws Exception if no assertion can be had; the authorization then fails
     */
    String assertion(String issuer, String resource) throws Exception;
}
