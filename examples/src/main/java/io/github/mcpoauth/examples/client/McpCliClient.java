package io.github.mcpoauth.examples.client;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.mcpoauth.client.AuthorizationUrlHandler;
import io.github.mcpoauth.client.McpOAuthClient;
import io.github.mcpoauth.client.TokenStore;
import io.github.mcpoauth.client.mcpsdk.McpSdkAuthorization;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * A command-line MCP client: connects to an MCP server URL, opens the browser when the server asks for
 * authorization, lists the tools, and remembers its registration and tokens between runs (in
 * {@code ~/.mcp-oauth/tokens.json}, owner-only, or the file named by {@code MCP_OAUTH_TOKENS}).
 *
 * <pre>
 * mvn -B -q -pl examples -am -DskipTests -Prun package \
 *     -Dexec.mainClass=io.github.mcpoauth.examples.client.McpCliClient -Dexec.args=http://localhost:8080/mcp
 * </pre>
 *
 * <p>{@code --print} prints the authorization URL instead of starting a browser (for a terminal on another
 * machine); {@code --sign-out} forgets the tokens first.
 */
public final class McpCliClient {

    private McpCliClient() {
    }

    /**
     * @param args the MCP server URL, then optional {@code --print} and {@code --sign-out}
     */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: McpCliClient <mcp server url> [--print] [--sign-out]");
            System.exit(2);
        }
        URI server = URI.create(args[0]);
        boolean print = Arrays.asList(args).contains("--print");
        Path tokens = System.getenv("MCP_OAUTH_TOKENS") != null ? Path.of(System.getenv("MCP_OAUTH_TOKENS"))
                : Path.of(System.getProperty("user.home"), ".mcp-oauth", "tokens.json");
        AuthorizationUrlHandler browser = print ? AuthorizationUrlHandler.print(System.out) : url -> {
            System.out.println("Opening the browser to authorize (or open this URL yourself): " + url);
            try {
                AuthorizationUrlHandler.systemBrowser().open(url);
            } catch (Exception e) {
                System.out.println("No browser could be started: " + e.getMessage());
            }
        };
        boolean signOut = Arrays.asList(args).contains("--sign-out");
        run(server, browser, tokens, signOut, System.out);
    }

    /**
     * Connects, lists the tools and prints them.
     *
     * @return the names of the tools
     */
    static List<String> run(URI server, AuthorizationUrlHandler browser, Path tokens, boolean signOut,
            PrintStream out) {
        McpOAuthClient oauth = McpOAuthClient.builder(server).clientName("mcp-oauth example CLI")
                .tokenStore(TokenStore.file(tokens)).authorizationUrlHandler(browser).build();
        if (signOut) {
            oauth.signOut();
        }
        String origin = server.getScheme() + "://" + server.getRawAuthority();
        HttpClientStreamableHttpTransport transport = McpSdkAuthorization.configure(
                HttpClientStreamableHttpTransport.builder(origin).endpoint(server.getRawPath()), oauth).build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(6))
                .clientInfo(new McpSchema.Implementation("mcp-oauth-example-cli", "1.0.0")).build()) {
            McpSchema.InitializeResult init = client.initialize();
            out.println("Connected to " + init.serverInfo().name() + " " + init.serverInfo().version());
            List<String> names = new ArrayList<>();
            for (McpSchema.Tool tool : client.listTools().tools()) {
                names.add(tool.name());
                out.println("  " + tool.name() + (tool.description() == null ? "" : "  " + tool.description()));
            }
            out.println("Tokens kept in " + tokens);
            return names;
        }
    }
}
