package io.github.mcpoauth.servlet.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.servlet.limit.RateLimit;
import io.github.mcpoauth.servlet.limit.RateLimits;
import io.github.mcpoauth.servlet.testing.McpClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md case 35: malformed input of every kind, thrown at every endpoint over raw HTTP/1.1 (so that invalid
 * percent-encoding, invalid UTF-8, binary bodies, duplicate headers and lying content types really reach the
 * server), never yields a 5xx nor an exception in the server log, and leaves existing clients and grants working.
 *
 * <p>Randomized with a seeded {@link Random}. The seed is fixed ({@value #DEFAULT_SEED}), so every build sends the
 * same requests (apart from the client ids, codes and tokens each run registers and issues, which the requests
 * quote); {@code -Dfuzz.seed=N} runs another seed, e.g. to explore or to replay a failure. The seed is printed and
 * named in every failure message. {@code -Dfuzz.iterations=N} changes the number of random requests (default
 * {@value #DEFAULT_ITERATIONS}).
 */
class MalformedInputSecurityCasesTest {

    private static final long DEFAULT_SEED = 20260135L;
    private static final int DEFAULT_ITERATIONS = 400;
    private static final Duration TIME_BUDGET = Duration.ofSeconds(90);

    private static final List<String> PATHS = List.of("/oauth2/authorize", "/authorize", "/oauth2/authorize/consent",
            "/oauth2/token", "/token", "/oauth2/register", "/register", "/oauth2/revoke", "/oauth2/introspect",
            "/oauth2/jwks", "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration");
    private static final List<String> METHODS = List.of("GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH",
            "OPTIONS", "HEAD", "FOO");
    private static final List<String> PARAMS = List.of("grant_type", "code", "client_id", "client_secret",
            "redirect_uri", "code_verifier", "refresh_token", "scope", "resource", "token", "token_type_hint",
            "state", "response_type", "response_mode", "code_challenge", "code_challenge_method", "csrf_token",
            "decision", "request", "request_uri", "client_assertion", "prompt", "");
    private static final List<String> CONTENT_TYPES = List.of("application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=UTF-8", "application/x-www-form-urlencoded; charset=\"",
            "application/x-www-form-urlencoded; charset=ISO-8859-1", "application/json",
            "application/json; charset=UTF-16",
            "text/plain", "multipart/form-data; boundary=x", "multipart/form-data", "application/jwt", "a/b/c;;;=",
            "", "*/*", "application/x-www-form-urlencoded, application/json");

    private record Sent(String method, String path, String description) {
    }

    @Test
    void case35_whenMalformedInputOfAnyKindThenNo5xxNoServerExceptionAndExistingGrantsSurvive() throws Exception {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        int iterations = Integer.getInteger("fuzz.iterations", DEFAULT_ITERATIONS);
        System.out.println("case35 fuzz seed: " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
        Random random = new Random(seed);

        List<String> failures = new ArrayList<>();
        List<LogRecord> problems;
        try (LogCapture logs = new LogCapture();
                SecurityFixture fx = SecurityFixture.start(b -> { }, o -> o.rateLimits(RateLimits.defaults()
                        .with(RateLimits.Endpoint.REGISTRATION, RateLimits.Key.ADDRESS, RateLimit.perMinute(600))))) {
            McpClient client = fx.publicClient();
            McpClient confidential = fx.client("client_secret_basic");
            SecurityFixture.Tokens kept = fx.grant(client, "alice");
            SecurityFixture.Tokens sacrificial = fx.grant(client, "alice");
            fx.resourceServer();
            List<String> values = values(client, confidential, sacrificial, fx.issuer());

            int sent = 0;
            long deadline = System.nanoTime() + TIME_BUDGET.toNanos();
            for (byte[] request : knownNastyRequests(fx, values)) {
                check(fx, request, failures, seed);
                sent++;
            }
            for (int i = 0; i < iterations && System.nanoTime() < deadline; i++) {
                byte[] request = randomRequest(random, fx, values);
                check(fx, request, failures, seed);
                sent++;
            }
            System.out.println("case35 sent " + sent + " malformed requests");

            // Existing clients and grants are intact (after the rate limit buckets refill).
            fx.clock.advance(Duration.ofMinutes(10));
            assertThat(fx.active(kept.accessToken())).as("seed %d: access token still active", seed).isTrue();
            var refreshed = client.refresh(kept.refreshToken());
            assertThat(refreshed.statusCode()).as("seed %d: refresh after the storm: %s", seed, refreshed.body())
                    .isEqualTo(200);
            assertThat(fx.browser.get(client.authorizeUri(McpClient.pkce(), "st")).statusCode())
                    .as("seed %d: the client can still authorize", seed).isEqualTo(302);
            assertThat(fx.grant(confidential, "alice").accessToken())
                    .as("seed %d: the confidential client still gets tokens", seed).isNotEmpty();
            problems = logs.problems().stream().filter(r -> !isAudit(r)).toList();
        }
        assertThat(failures).as("seed %d: 5xx answers or broken connections", seed).isEmpty();
        assertThat(problems).as("seed %d: warnings or exceptions in the server log", seed)
                .extracting(r -> r.getLoggerName() + ": " + r.getMessage()
                        + (r.getThrown() == null ? "" : " " + r.getThrown()))
                .isEmpty();
    }

    private static boolean isAudit(LogRecord r) {
        return "io.github.mcpoauth.audit".equals(r.getLoggerName()) && r.getThrown() == null
                && r.getLevel().intValue() <= Level.WARNING.intValue();
    }

    private static void check(SecurityFixture fx, byte[] request, List<String> failures, long seed) {
        String head = new String(request, 0, Math.min(request.length, 160), StandardCharsets.ISO_8859_1)
                .replaceAll("[^\\x20-\\x7E]", "?");
        int status;
        try {
            status = send(fx, request);
        } catch (IOException e) {
            failures.add("no answer (" + e + ") to: " + head);
            return;
        }
        // 501 comes from the container's default servlet for a method it lacks on a path outside mcp-oauth
        boolean ours = PATHS.stream().anyMatch(p -> head.matches("[A-Z]+ " + java.util.regex.Pattern.quote(p)
                + "(\\?.*)? HTTP/1\\.1.*"));
        if (status >= 500 && !(status == 501 && !ours) || status < 100) {
            failures.add(status + " to: " + head);
        }
    }

    /** Sends raw bytes on a new connection and returns the response status. */
    static int send(SecurityFixture fx, byte[] request) throws IOException {
        return RawHttp.exchange(fx.server.baseUri(), request).status();
    }

    private static List<String> values(McpClient client, McpClient confidential, SecurityFixture.Tokens sacrificial,
            String issuer) {
        return List.of(client.clientId(), confidential.clientId(), confidential.clientSecret(), client.redirectUri(),
                sacrificial.code(), sacrificial.verifier(), sacrificial.refreshToken(), sacrificial.accessToken(),
                "authorization_code", "refresh_token", "password", "client_credentials", "implicit", "code", "token",
                "S256", "plain", "mcp", "mcp admin", issuer + "/mcp", "https://evil.example/", "javascript:alert(1)",
                McpClient.pkce().challenge(), "approve", "deny", "query", "fragment", "none", "access_token",
                "", " ", "\"", "'\"><script>", "\\", "a\"b\\c", "%", "%zz", "%c3%28", "%ff%fe", "%00", "\u0000",
                "\r\nX-Injected: 1", "é", "\uD83D\uDE00", "\uFFFF", "null", "[]", "{}", "0", "-1", "9".repeat(40));
    }

    private static byte[] randomRequest(Random r, SecurityFixture fx, List<String> values) {
        String method = pick(r, METHODS);
        String path = pick(r, PATHS);
        if (r.nextInt(10) == 0) {
            path = path + pick(r, List.of("/", "/x", "//", "/..", ";jsessionid=x", "%2F", "/%00"));
        }
        String query = r.nextInt(3) == 0 ? "" : "?" + formLike(r, values, 1 + r.nextInt(12));
        StringBuilder headers = new StringBuilder();
        if (r.nextInt(4) != 0) {
            headers.append("Content-Type: ").append(pick(r, CONTENT_TYPES)).append("\r\n");
        }
        if (r.nextInt(3) == 0) {
            headers.append("Authorization: ").append(authorization(r, values)).append("\r\n");
            if (r.nextInt(5) == 0) {
                headers.append("Authorization: ").append(authorization(r, values)).append("\r\n");
            }
        }
        if (r.nextInt(5) == 0) {
            headers.append("X-Forwarded-For: ").append(pick(r, List.of("1.2.3.4", "::1", "garbage", "1.2.3.4, 10.0.0.1",
                    "999.1.1.1", "[::1]:80", ",,,"))).append("\r\n");
        }
        if (r.nextInt(5) == 0) {
            headers.append("Origin: ").append(pick(r, List.of("null", "https://evil.example", fx.issuer()))).append(
                    "\r\n");
        }
        byte[] body = switch (r.nextInt(7)) {
            case 0 -> new byte[0];
            case 1 -> formLike(r, values, 1 + r.nextInt(30)).getBytes(StandardCharsets.UTF_8);
            case 2 -> json(r, values).getBytes(StandardCharsets.UTF_8);
            case 3 -> {
                byte[] b = new byte[r.nextInt(4096)];
                r.nextBytes(b);
                yield b;
            }
            case 4 -> (pick(r, PARAMS) + "=" + "A".repeat(1 + r.nextInt(100_000))).getBytes(StandardCharsets.UTF_8);
            case 5 -> ("[".repeat(r.nextInt(20_000)) + "]".repeat(r.nextInt(10))).getBytes(StandardCharsets.UTF_8);
            default -> (formLike(r, values, 200 + r.nextInt(2000))).getBytes(StandardCharsets.UTF_8);
        };
        boolean chunked = body.length > 0 && r.nextInt(4) == 0;
        boolean lying = !chunked && r.nextInt(10) == 0;
        return request(method, path + query, headers.toString(), body, chunked, lying, fx);
    }

    private static byte[] request(String method, String target, String headers, byte[] body, boolean chunked,
            boolean lyingLength, SecurityFixture fx) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = method + " " + target + " HTTP/1.1\r\nHost: " + fx.server.baseUri().getAuthority() + "\r\n"
                + headers + "Connection: close\r\n";
        if (chunked) {
            head += "Transfer-Encoding: chunked\r\n";
        } else if (body.length > 0 || method.equals("POST")) {
            head += "Content-Length: " + (lyingLength ? body.length + 10 : body.length) + "\r\n";
        }
        out.writeBytes((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        if (chunked) {
            for (int i = 0; i < body.length; i += 1000) {
                int n = Math.min(1000, body.length - i);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, i, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** Form-like text: known and unknown names, real and hostile values, raw or encoded, duplicates. */
    private static String formLike(Random r, List<String> values, int pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            if (i > 0) {
                b.append(r.nextInt(15) == 0 ? "&&" : "&");
            }
            String name = r.nextInt(8) == 0 ? randomText(r, 8) : pick(r, PARAMS);
            String value = r.nextInt(6) == 0 ? randomText(r, r.nextInt(64)) : pick(r, values);
            b.append(r.nextInt(6) == 0 ? raw(name) : URLEncoder.encode(name, StandardCharsets.UTF_8));
            if (r.nextInt(10) != 0) {
                b.append('=').append(r.nextInt(5) == 0 ? raw(value) : URLEncoder.encode(value,
                        StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }

    /** {@code s} sent without encoding, except what would break the request line. */
    private static String raw(String s) {
        return s.replace(" ", "%20").replace("\r", "%0d").replace("\n", "%0a").replace("#", "%23");
    }

    private static String json(Random r, List<String> values) {
        return switch (r.nextInt(6)) {
            case 0 -> "{\"redirect_uris\":[" + quoted(pick(r, values)) + "],\"client_name\":" + quoted(pick(r, values))
                    + ",\"token_endpoint_auth_method\":" + quoted(pick(r, List.of("none", "client_secret_basic",
                    "private_key_jwt", "x"))) + ",\"grant_types\":" + pick(r, List.of("[\"authorization_code\"]",
                    "[\"implicit\"]", "\"authorization_code\"", "[1,2]", "null", "{}")) + "}";
            case 1 -> "{\"redirect_uris\":" + pick(r, List.of("\"https://a.example/cb\"", "[]", "[null]", "{}", "7",
                    "[\"https://a.example/cb\",\"https://a.example/cb\"]")) + ",\"response_types\":"
                    + pick(r, List.of("[\"token\"]", "[\"code\",\"token\"]", "\"code\"")) + "}";
            case 2 -> "{\"a\":" + "{\"a\":".repeat(r.nextInt(5000)) + "1";
            case 3 -> "{\"redirect_uris\":[\"https://a.example/cb\"],\"" + randomText(r, 20) + "\":"
                    + quoted(randomText(r, r.nextInt(5000))) + "}";
            case 4 -> "{\"redirect_uris\":[\"https://a.example/cb\"],\"client_name\":\"\\ud800\",\"x\":\"\\u0000\"}";
            default -> "{\"redirect_uris\":[\"https://a.example/cb\"]," + "\"k\":1,".repeat(r.nextInt(100)) + "\"z\":"
                    + pick(r, List.of("1e999999", "-0", "01", "true", "\"\\\"\"", "[", "}")) + "}";
        };
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1F]", " ") + "\"";
    }

    private static String authorization(Random r, List<String> values) {
        return switch (r.nextInt(6)) {
            case 0 -> "Basic " + java.util.Base64.getEncoder().encodeToString((pick(r, values) + ":" + pick(r, values))
                    .getBytes(StandardCharsets.UTF_8));
            case 1 -> "Basic " + randomText(r, 30).replaceAll("[^\\x21-\\x7E]", "x");
            case 2 -> "Basic";
            case 3 -> "Bearer " + pick(r, values).replaceAll("[^\\x21-\\x7E]", "x");
            case 4 -> "Basic " + "QQ==".repeat(1500);
            default -> "basic " + java.util.Base64.getEncoder().encodeToString("%zz:%".getBytes(
                    StandardCharsets.UTF_8));
        };
    }

    private static String randomText(Random r, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = r.nextInt(10);
            b.append(kind < 6 ? (char) (0x21 + r.nextInt(94)) : kind < 8 ? (char) (0xA0 + r.nextInt(0x2000))
                    : (char) r.nextInt(0x20));
        }
        return b.toString();
    }

    private static <T> T pick(Random r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    /** Requests that broke, or could break, a naive implementation; sent before the random ones. */
    private static List<byte[]> knownNastyRequests(SecurityFixture fx, List<String> values) {
        String form = "application/x-www-form-urlencoded";
        String json = "application/json";
        List<byte[]> list = new ArrayList<>();
        String clientId = values.get(0);
        String authorize = "/oauth2/authorize?response_type=code&client_id=" + clientId + "&redirect_uri="
                + URLEncoder.encode(values.get(3), StandardCharsets.UTF_8) + "&code_challenge="
                + McpClient.pkce().challenge() + "&code_challenge_method=S256";
        // quotes and backslashes in values echoed into error descriptions
        list.add(request("GET", authorize + "&scope=a%22b%5Cc", "", new byte[0], false, false, fx));
        list.add(request("GET", authorize + "&a%22b=1&a%22b=2", "", new byte[0], false, false, fx));
        list.add(request("GET", authorize + "&resource=%22", "", new byte[0], false, false, fx));
        list.add(request("POST", "/oauth2/register", "Content-Type: " + json + "\r\n",
                "{\"redirect_uris\":[\"https://a.example/cb\"],\"response_types\":[\"token\"]}".getBytes(
                        StandardCharsets.UTF_8), false, false, fx));
        list.add(request("POST", "/oauth2/register", "Content-Type: " + json + "\r\n",
                "{\"redirect_uris\":\"x\\\"y\"}".getBytes(StandardCharsets.UTF_8), false, false, fx));
        list.add(request("POST", "/oauth2/token", "Content-Type: " + form + "\r\n",
                "grant_type=a%22b".getBytes(StandardCharsets.UTF_8), false, false, fx));
        list.add(request("POST", "/oauth2/token", "Content-Type: " + form + "\r\n",
                ("grant_type=refresh_token&client_id=" + clientId + "&refresh_token=x&scope=a%22b").getBytes(
                        StandardCharsets.UTF_8), false, false, fx));
        // invalid percent-encoding and UTF-8, in the query and in bodies
        list.add(request("GET", authorize + "&state=%zz%", "", new byte[0], false, false, fx));
        list.add(request("GET", "/oauth2/authorize?%c3%28=%ff", "", new byte[0], false, false, fx));
        list.add(request("POST", "/oauth2/token?%zz", "Content-Type: " + form + "\r\n",
                "grant_type=%zz&code=%".getBytes(StandardCharsets.UTF_8), false, false, fx));
        list.add(request("POST", "/oauth2/authorize/consent", "Content-Type: " + form + "\r\n",
                "csrf_token=%zz&decision=%".getBytes(StandardCharsets.UTF_8), false, false, fx));
        list.add(request("POST", "/oauth2/authorize/consent", "Content-Type: " + form + "\r\n",
                new byte[] {'a', '=', (byte) 0xC3, (byte) 0x28, '&', 'b', '=', (byte) 0xFF}, false, false, fx));
        list.add(request("POST", "/oauth2/authorize/consent", "Content-Type: " + form + "\r\n",
                "a=1&".repeat(5000).getBytes(StandardCharsets.UTF_8), false, false, fx));
        list.add(request("POST", "/oauth2/authorize/consent", "Content-Type: " + form + "\r\n",
                ("a=" + "x".repeat(300_000)).getBytes(StandardCharsets.UTF_8), true, false, fx));
        // floods of parameters, huge values, deep JSON, binary
        list.add(request("POST", "/oauth2/token", "Content-Type: " + form + "\r\n",
                "a=1&".repeat(10_000).getBytes(StandardCharsets.UTF_8), false, false, fx));
        list.add(request("POST", "/oauth2/introspect", "Content-Type: " + form + "\r\n",
                ("token=" + "x".repeat(60_000)).getBytes(StandardCharsets.UTF_8), true, false, fx));
        list.add(request("GET", "/oauth2/authorize?" + "a=1&".repeat(1500), "", new byte[0], false, false, fx));
        list.add(request("POST", "/oauth2/register", "Content-Type: " + json + "\r\n",
                "[".repeat(50_000).getBytes(StandardCharsets.UTF_8), false, false, fx));
        list.add(request("POST", "/oauth2/register", "Content-Type: " + json + "\r\n",
                ("{\"a\":" + "[".repeat(10_000)).getBytes(StandardCharsets.UTF_8), false, false, fx));
        byte[] binary = new byte[8192];
        new Random(35).nextBytes(binary);
        for (String path : List.of("/oauth2/token", "/oauth2/register", "/oauth2/revoke", "/oauth2/introspect",
                "/oauth2/authorize/consent")) {
            list.add(request("POST", path, "Content-Type: " + form + "\r\n", binary, false, false, fx));
            list.add(request("POST", path, "Content-Type: " + json + "\r\n", binary, true, false, fx));
            list.add(request("POST", path, "", binary, false, false, fx));
        }
        return list;
    }
}
