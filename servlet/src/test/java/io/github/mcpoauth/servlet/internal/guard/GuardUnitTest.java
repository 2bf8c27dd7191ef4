package io.github.mcpoauth.servlet.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mcpoauth.core.error.OAuthException;
import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.core.resource.AccessTokenVerifier;
import io.github.mcpoauth.servlet.guard.McpAuthContext;
import io.github.mcpoauth.servlet.guard.McpScopeRules;
import io.modelcontextprotocol.common.McpTransportContext;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The guard's pieces without a container. */
class GuardUnitTest {

    private final GuardFixture fixture = new GuardFixture("https://rs.example.com/mcp");

    /** A request answering only the given methods; everything else null/empty. */
    private static HttpServletRequest request(Map<String, Object> answers) {
        return (HttpServletRequest) Proxy.newProxyInstance(GuardUnitTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getHeaders")) {
                        Object v = answers.get("getHeaders:" + args[0]);
                        return Collections.enumeration(v == null ? List.of() : (List<?>) v);
                    }
                    return answers.get(method.getName());
                });
    }

    private static AccessTokenPrincipal alice() {
        return new AccessTokenPrincipal("alice", "client-1", Set.of("mcp"), List.of("https://rs.example.com/mcp"),
                URI.create(GuardFixture.ISSUER), Instant.parse("2030-01-01T00:00:00Z"), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    // ---- token extraction

    @ParameterizedTest
    @ValueSource(strings = {"access_token=x", "a=1&access_token=x", "access%5Ftoken=x", "ACCESS_TOKEN=x",
            "access_token", "a=1&access_token&b=2"})
    void queryHasAccessTokenWhenNamedAnyWayThenTrue(String query) {
        assertThat(BearerTokenExtractor.queryHasAccessToken(query)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a=access_token", "my_access_token=x", "access_tokens=x", "%zz=1"})
    void queryHasAccessTokenWhenOnlySimilarThenFalse(String query) {
        assertThat(BearerTokenExtractor.queryHasAccessToken(query)).isFalse();
    }

    @Test
    void extractWhenOneBearerHeaderThenTheToken() {
        HttpServletRequest r = request(Map.of("getHeaders:Authorization", List.of("Bearer  abc.def.ghi ")));

        assertThat(BearerTokenExtractor.extract(r, 8192)).isEqualTo("abc.def.ghi");
    }

    @Test
    void extractWhenNoHeaderThenMissingTokenWithoutErrorCode() {
        assertThatThrownBy(() -> BearerTokenExtractor.extract(request(Map.of()), 8192))
                .isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.error().getCode()).isNull();
                    assertThat(e.error().getHTTPStatusCode()).isEqualTo(401);
                });
    }

    // ---- scope rules

    @Test
    void scopesForWhenMethodAndToolRulesMatchThenTheirUnion() {
        McpScopeRules rules = McpScopeRules.builder().method("tools/call", "tools").tool("x", "y", "tools")
                .prompt("p", "prompts").resource("file:///a", "files").build();

        assertThat(rules.scopesFor("tools/call", "x", null))
                .containsExactly("tools", "y");
        assertThat(rules.scopesFor("tools/call", "other", null))
                .containsExactly("tools");
        assertThat(rules.scopesFor("prompts/get", "p", null))
                .containsExactly("prompts");
        assertThat(rules.scopesFor("resources/read", null, "file:///a"))
                .containsExactly("files");
        assertThat(rules.scopesFor("tools/list", null, null)).isEmpty();
        assertThat(rules.scopesFor(null, null, null)).isEmpty();
    }

    @Test
    void scopesForWhenToolCallHasNoNameAndToolRulesExistThenRefused() {
        McpScopeRules rules = McpScopeRules.builder().tool("x", "y").build();

        assertThatThrownBy(() -> rules.scopesFor("tools/call", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tools/call without a string target");
    }

    @Test
    void builderWhenRuleInvalidThenFailsNamingIt() {
        assertThatThrownBy(() -> McpScopeRules.builder().tool("x")).hasMessageContaining("tool x");
        assertThatThrownBy(() -> McpScopeRules.builder().tool("x", "a,b")).hasMessageContaining("a,b");
        assertThatThrownBy(() -> McpScopeRules.builder().tool(" ", "a")).hasMessageContaining("tool");
        assertThatThrownBy(() -> McpScopeRules.builder().tool("x", "a").tool("x", "b"))
                .hasMessageContaining("already has a rule");
    }

    // ---- JSON-RPC inspection

    @Test
    void callsWhenSingleMessageThenMethodAndTarget() throws Exception {
        List<JsonRpcInspector.Call> calls = new JsonRpcInspector().calls("{\"jsonrpc\":\"2.0\",\"id\":1,"
                + "\"params\":{\"arguments\":{\"name\":\"inner\"},\"name\":\"outer\"},\"method\":\"tools/call\"}");

        assertThat(calls).containsExactly(new JsonRpcInspector.Call("tools/call", "outer", null));
    }

    @Test
    void callsWhenBatchThenEveryMessage() throws Exception {
        List<JsonRpcInspector.Call> calls = new JsonRpcInspector().calls("[{\"method\":\"a\"},{\"id\":1,"
                + "\"result\":{}},{\"method\":\"resources/read\",\"params\":{\"uri\":\"u\"}}]");

        assertThat(calls).containsExactly(new JsonRpcInspector.Call("a", null, null),
                new JsonRpcInspector.Call(null, null, null), new JsonRpcInspector.Call("resources/read", null, "u"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "\"x\"", "[1]", "{\"method\":1}", "{\"a\":1,\"a\":2}", "{} {}", "{",
            "{\"params\":{\"name\":\"a\",\"name\":\"b\"}}"})
    void callsWhenNotStrictJsonRpcThenMalformed(String body) {
        assertThatThrownBy(() -> new JsonRpcInspector().calls(body)).isInstanceOf(JsonRpcInspector.Malformed.class);
    }

    @Test
    void callsWhenDeeplyNestedArgumentsThenNoStackOverflow() {
        String body = "{\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"arguments\":"
                + "[".repeat(100_000) + "]".repeat(100_000) + "}}";

        assertThatThrownBy(() -> new JsonRpcInspector().calls(body)).isInstanceOf(JsonRpcInspector.Malformed.class);
    }

    // ---- filter builder

    @Test
    void builderWhenVerifierIsForAnotherResourceThenFails() {
        GuardFixture other = new GuardFixture("https://rs.example.com/other");

        assertThatThrownBy(() -> BearerGuardFilter.builder(fixture.settings, other.verifier))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https://rs.example.com/other");
    }

    @Test
    void builderWhenRuleScopeNotSupportedThenFailsNamingIt() {
        assertThatThrownBy(() -> BearerGuardFilter.builder(fixture.verifier)
                .scopeRules(McpScopeRules.builder().tool("x", "unknown").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown");
    }

    @Test
    void builderWhenFromVerifierThenItsSettings() {
        AccessTokenVerifier v = fixture.verifier;

        assertThat(BearerGuardFilter.builder(v).build().settings()).isSameAs(v.settings());
    }

    // ---- MCP context

    @Test
    void extractorWhenRequestCarriesThePrincipalThenHandlersReadItBack() {
        AccessTokenPrincipal alice = alice();
        HttpServletRequest request = request(Map.of("getUserPrincipal", alice));

        McpTransportContext context = McpAuthContext.extractor().extract(request);

        assertThat(McpAuthContext.principal(context)).contains(alice);
        assertThat(context.get(McpAuthContext.PRINCIPAL_KEY)).isSameAs(alice);
    }

    @Test
    void extractorWhenHostAddsValuesThenTheyCannotReplaceThePrincipal() {
        AccessTokenPrincipal alice = alice();
        HttpServletRequest request = request(Map.of("getAttribute", alice));

        McpTransportContext context = McpAuthContext.extractor((r, values) -> {
            values.put("tenant", "t-1");
            values.put(McpAuthContext.PRINCIPAL_KEY, "forged");
        }).extract(request);

        assertThat(context.get("tenant")).isEqualTo("t-1");
        assertThat(McpAuthContext.principal(context)).contains(alice);
    }

    @Test
    void principalWhenRequestDidNotComeThroughTheGuardThenEmpty() {
        McpTransportContext context = McpAuthContext.extractor().extract(request(Map.of()));

        assertThat(McpAuthContext.principal(context)).isEmpty();
        assertThat(McpAuthContext.principal((McpTransportContext) null)).isEmpty();
    }
}
