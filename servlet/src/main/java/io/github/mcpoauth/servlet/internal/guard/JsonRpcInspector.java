package io.github.mcpoauth.servlet.internal.guard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.github.mcpoauth.servlet.guard.McpScopeRules;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads just enough of an MCP request body to apply {@link McpScopeRules}: the {@code method} of each JSON-RPC
 * message and its {@code params.name} / {@code params.uri}. Streaming, so nesting costs no stack; strict, so the
 * guard and the MCP servlet cannot read one body two ways: duplicate keys, trailing content, a non-string
 * {@code method} or anything but a JSON object (or a batch array of objects) are refused.
 */
final class JsonRpcInspector {

    /** One JSON-RPC message: {@code method} (null for a response), {@code params.name}, {@code params.uri}. */
    record Call(String method, String name, String uri) {
    }

    /** The body cannot be inspected; the request is refused with 400 rather than guessed at. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final int MAX_BATCH = 100;

    private final JsonFactory factory = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(500).build())
            .build();

    List<Call> calls(String body) throws Malformed {
        try (JsonParser p = factory.createParser(body)) {
            List<Call> calls = new ArrayList<>();
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                calls.add(message(p));
            } else if (first == JsonToken.START_ARRAY) {
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.START_OBJECT || calls.size() >= MAX_BATCH) {
                        throw new Malformed("batch entry is not an object, or batch too long");
                    }
                    calls.add(message(p));
                }
            } else {
                throw new Malformed("not a JSON-RPC object");
            }
            if (p.nextToken() != null) {
                throw new Malformed("content after the JSON value");
            }
            return calls;
        } catch (IOException e) {
            throw new Malformed("not valid JSON");
        }
    }

    /** Reads one object, the parser on its START_OBJECT; leaves it on the matching END_OBJECT. */
    private static Call message(JsonParser p) throws IOException, Malformed {
        String method = null;
        String name = null;
        String uri = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("method")) {
                if (value != JsonToken.VALUE_STRING) {
                    throw new Malformed("method is not a string");
                }
                method = p.getText();
            } else if (field.equals("params") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String param = p.currentName();
                    JsonToken v = p.nextToken();
                    if (param.equals("name") && v == JsonToken.VALUE_STRING) {
                        name = p.getText();
                    } else if (param.equals("uri") && v == JsonToken.VALUE_STRING) {
                        uri = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return new Call(method, name, uri);
    }
}
