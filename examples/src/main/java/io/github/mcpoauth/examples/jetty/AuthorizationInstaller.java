package io.github.mcpoauth.examples.jetty;

import java.net.URI;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * Installs whatever protects the MCP endpoint into the servlet context before the server starts.
 *
 * <p>The default is {@link ExampleServer#installAuthorization(ServletContextHandler, URI)}; tests may swap it.
 */
@FunctionalInterface
public interface AuthorizationInstaller {

    /**
     * @param ctx    the (not yet started) context that serves {@code /mcp}, the demo login and everything else
     * @param issuer public base URL of the server, without trailing slash; the MCP endpoint is
     *               {@code issuer + ExampleServer.MCP_PATH}
     */
    void install(ServletContextHandler ctx, URI issuer) throws Exception;
}
