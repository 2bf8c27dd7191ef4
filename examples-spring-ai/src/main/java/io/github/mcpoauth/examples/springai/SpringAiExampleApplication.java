package io.github.mcpoauth.examples.springai;

import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A Spring Boot app with Spring Security form login and Spring AI's MCP server starter (Streamable HTTP at
 * {@code /mcp}), protected by mcp-oauth's starter: no Spring AI bean replaced. Spring AI runs servlet tool calls on
 * the request thread, so the caller mcp-oauth verified is Spring Security's {@code Authentication} in the tools.
 *
 * <p>Run: {@code mvn -B -q -pl examples-spring-ai -am -DskipTests -Prun package} (http://localhost:8080, user
 * alice / alice-password; {@code ISSUER} sets the public URL).
 */
@SpringBootApplication
@EnableMethodSecurity
public class SpringAiExampleApplication {

    /** Starts the app. */
    public static void main(String[] args) {
        SpringApplication.run(SpringAiExampleApplication.class, args);
    }

    /** The app's own pages: all behind form login (mcp-oauth's chain comes first for its own paths). */
    @Bean
    SecurityFilterChain appSecurity(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .build();
    }

    /** The demo user. */
    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}alice-password")
                .roles("USER").build());
    }

    /** The tools, as Spring AI tool callbacks (the MCP server starter exposes them). */
    @Bean
    ToolCallbackProvider exampleTools(ExampleTools tools) {
        return MethodToolCallbackProvider.builder().toolObjects(tools).build();
    }

    @Bean
    ExampleTools tools(Caller caller) {
        return new ExampleTools(caller);
    }

    @Bean
    Caller caller() {
        return new Caller();
    }
}
