package io.github.mcpoauth.spring.mcp;

import io.modelcontextprotocol.server.McpTransportContextExtractor;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * With the MCP Java SDK on the classpath: a {@link McpTransportContextExtractor} bean ({@link McpCaller#extractor()})
 * to hand to the SDK's servlet transport, so tool handlers see the verified caller.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "io.modelcontextprotocol.server.McpTransportContextExtractor")
@ConditionalOnProperty(prefix = "mcp.oauth", name = "enabled", matchIfMissing = true)
public class McpOAuthMcpSdkAutoConfiguration {

    /** Created by Spring. */
    public McpOAuthMcpSdkAutoConfiguration() {
    }

    /** The extractor that carries the caller into the SDK's transport context. */
    @Bean
    @ConditionalOnMissingBean
    public McpTransportContextExtractor<HttpServletRequest> mcpOAuthContextExtractor() {
        return McpCaller.extractor();
    }
}
