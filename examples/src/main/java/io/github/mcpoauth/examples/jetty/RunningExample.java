package io.github.mcpoauth.examples.jetty;

import java.net.URI;

/** A started example server. {@link #close()} stops it. */
public interface RunningExample extends AutoCloseable {

    /** Public base URL (the issuer), e.g. {@code http://127.0.0.1:41234}; no trailing slash. */
    URI baseUri();

    /** {@code baseUri() + "/mcp"}. */
    default URI mcpUri() {
        return URI.create(baseUri() + ExampleServer.MCP_PATH);
    }

    /** The port actually bound. */
    int port();

    /** Blocks until the server stops. */
    void join() throws InterruptedException;

    @Override
    void close();
}
