package io.github.mcpoauth.spring.example;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The Spring Boot example: an ordinary Spring Security app (form login, every page needs a login) with an MCP
 * server built on the MCP Java SDK at {@code /mcp}. The only mcp-oauth code is the starter dependency, the
 * {@code mcp.oauth.issuer} property and handing the starter's context extractor to the SDK's transport.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMethodSecurity
@Import(WhoAmI.class)
public class SpringExampleApplication {

    /** The app's own security: everything behind form login (mcp-oauth's chain comes first for its paths). */
    @Bean
    SecurityFilterChain appSecurity(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .build();
    }

    /** The demo user the interop script signs in as. */
    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}alice-password")
                .roles("USER").build());
    }

    /** The MCP Java SDK's Streamable HTTP transport, with mcp-oauth's context extractor. */
    @Bean
    HttpServletStreamableServerTransportProvider mcpTransport(McpTransportContextExtractor<HttpServletRequest> ex) {
        return HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(McpJsonDefaults.getMapper())
                .mcpEndpoint("/mcp")
                .contextExtractor(ex)
                .build();
    }

    /** Mounts the transport at {@code /mcp} (async support on, as the SDK needs). */
    @Bean
    ServletRegistrationBean<HttpServletStreamableServerTransportProvider> mcpServlet(
            HttpServletStreamableServerTransportProvider transport) {
        ServletRegistrationBean<HttpServletStreamableServerTransportProvider> reg =
                new ServletRegistrationBean<>(transport, "/mcp", "/mcp/*");
        reg.setAsyncSupported(true);
        return reg;
    }

    /**
     * The MCP server: {@code whoami} (through a {@code @PreAuthorize} bean) and {@code echo}. Immediate execution
     * runs handlers on the request thread, where Spring Security's context is.
     */
    @Bean(destroyMethod = "closeGracefully")
    McpSyncServer mcpServer(HttpServletStreamableServerTransportProvider transport, WhoAmI whoAmI) {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        McpSchema.Tool whoamiTool = McpSchema.Tool.builder("whoami", json,
                "{\"type\": \"object\", \"properties\": {}}").description("The caller's subject").build();
        McpSchema.Tool echoTool = McpSchema.Tool.builder("echo", json,
                "{\"type\": \"object\", \"properties\": {\"message\": {\"type\": \"string\"}}, "
                        + "\"required\": [\"message\"]}").description("Echoes the message").build();
        return McpServer.sync(transport)
                .serverInfo("mcp-oauth-spring-example", "0.1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .immediateExecution(true)
                .tools(SyncToolSpecification.builder().tool(whoamiTool)
                                .callHandler((exchange, request) -> CallToolResult.builder()
                                        .addTextContent(whoAmI.subject(exchange)).build())
                                .build(),
                        SyncToolSpecification.builder().tool(echoTool)
                                .callHandler((exchange, request) -> {
                                    Map<String, Object> args = request.arguments() == null ? Map.of()
                                            : request.arguments();
                                    return CallToolResult.builder()
                                            .addTextContent(String.valueOf(args.get("message"))).build();
                                })
                                .build())
                .build();
    }
}
