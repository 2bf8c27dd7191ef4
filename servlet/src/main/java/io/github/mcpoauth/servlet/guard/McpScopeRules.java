package io.github.mcpoauth.servlet.guard;

import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Scopes required by particular MCP requests, on top of the endpoint's
 * {@link ProtectedResourceSettings#requiredScopes()}: per JSON-RPC method ({@code tools/call},
 * {@code resources/read}, …), per tool ({@code tools/call} whose {@code params.name} is the tool), per prompt
 * ({@code prompts/get} by {@code params.name}) and per resource ({@code resources/read} by {@code params.uri}).
 * Immutable; built with {@link #builder()}.
 *
 * <p>A request lacking a scope is answered 403 {@code insufficient_scope} with {@code scope} listing every scope
 * it needs, which MCP clients use to step up (MCP authorization, "Scope Challenge Handling"; RFC 6750 §3.1).
 * Listing methods ({@code tools/list}) are not filtered: a client sees the tools it may not call.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3.1">RFC 6750 §3.1</a>
 */
public final class McpScopeRules {

    private static final McpScopeRules NONE = new McpScopeRules(Map.of(), Map.of(), Map.of(), Map.of());

    private final Map<String, Set<String>> methods;
    private final Map<String, Set<String>> tools;
    private final Map<String, Set<String>> prompts;
    private final Map<String, Set<String>> resources;

    private McpScopeRules(Map<String, Set<String>> methods, Map<String, Set<String>> tools,
            Map<String, Set<String>> prompts, Map<String, Set<String>> resources) {
        this.methods = Map.copyOf(methods);
        this.tools = Map.copyOf(tools);
        this.prompts = Map.copyOf(prompts);
        this.resources = Map.copyOf(resources);
    }

    /** No per-request rules: only the endpoint's required scopes apply, and request bodies are not read. */
    public static McpScopeRules none() {
        return NONE;
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether there are no rules (then the guard never reads a request body). */
    public boolean isEmpty() {
        return methods.isEmpty() && tools.isEmpty() && prompts.isEmpty() && resources.isEmpty();
    }

    /** Every scope some rule requires. */
    public Set<String> scopes() {
        Set<String> all = new LinkedHashSet<>();
        for (Map<String, Set<String>> m : List.of(methods, tools, prompts, resources)) {
            m.values().forEach(all::addAll);
        }
        return Collections.unmodifiableSet(all);
    }

    /**
     * The scopes one JSON-RPC call needs, in rule order: those of its {@code method}, then, for {@code tools/call},
     * {@code prompts/get} and {@code resources/read}, those of its target ({@code params.name} or
     * {@code params.uri}).
     *
     * @param method the call's {@code method}; null (a JSON-RPC response) needs nothing
     * @param name the call's {@code params.name} if it is a string, else null
     * @param uri the call's {@code params.uri} if it is a string, else null
     * @throws IllegalArgumentException when rules name targets of this method but the call has none: the guard
     *     refuses rather than guesses
     */
    public Set<String> scopesFor(String method, String name, String uri) {
        Set<String> needed = new LinkedHashSet<>();
        if (method == null) {
            return needed;
        }
        needed.addAll(methods.getOrDefault(method, Set.of()));
        switch (method) {
            case "tools/call" -> needed.addAll(named(tools, name, "tools/call"));
            case "prompts/get" -> needed.addAll(named(prompts, name, "prompts/get"));
            case "resources/read" -> needed.addAll(named(resources, uri, "resources/read"));
            default -> {
            }
        }
        return needed;
    }

    private static Set<String> named(Map<String, Set<String>> rules, String name, String method) {
        if (rules.isEmpty()) {
            return Set.of();
        }
        if (name == null) {
            // Cannot tell which rule applies: refuse rather than guess.
            throw new IllegalArgumentException(method + " without a string target");
        }
        return rules.getOrDefault(name, Set.of());
    }

    @Override
    public String toString() {
        return "McpScopeRules[methods=" + methods + ", tools=" + tools + ", prompts=" + prompts + ", resources="
                + resources + "]";
    }

    /** Builds {@link McpScopeRules}; each rule is checked at once, and a target may have one rule only. */
    public static final class Builder {
        private final Map<String, Set<String>> methods = new LinkedHashMap<>();
        private final Map<String, Set<String>> tools = new LinkedHashMap<>();
        private final Map<String, Set<String>> prompts = new LinkedHashMap<>();
        private final Map<String, Set<String>> resources = new LinkedHashMap<>();

        private Builder() {
        }

        /** Every request with JSON-RPC {@code method} (e.g. {@code tools/call}) needs {@code scopes}. */
        public Builder method(String method, String... scopes) {
            put(methods, "method", method, scopes);
            return this;
        }

        /** {@code tools/call} of the tool {@code name} needs {@code scopes}. */
        public Builder tool(String name, String... scopes) {
            put(tools, "tool", name, scopes);
            return this;
        }

        /** {@code prompts/get} of the prompt {@code name} needs {@code scopes}. */
        public Builder prompt(String name, String... scopes) {
            put(prompts, "prompt", name, scopes);
            return this;
        }

        /** {@code resources/read} of the resource {@code uri} (exact string) needs {@code scopes}. */
        public Builder resource(String uri, String... scopes) {
            put(resources, "resource", uri, scopes);
            return this;
        }

        /** The rules. */
        public McpScopeRules build() {
            return new McpScopeRules(methods, tools, prompts, resources);
        }

        private static void put(Map<String, Set<String>> rules, String kind, String target, String... scopes) {
            Objects.requireNonNull(target, kind);
            Objects.requireNonNull(scopes, "scopes");
            if (target.isBlank()) {
                throw new IllegalArgumentException(kind + " must not be blank");
            }
            if (scopes.length == 0) {
                throw new IllegalArgumentException(kind + " " + target + ": at least one scope is required");
            }
            for (String s : scopes) {
                if (!ProtectedResourceSettings.isValidScope(s)) {
                    throw new IllegalArgumentException(kind + " " + target + ": not a valid scope token: " + s);
                }
            }
            if (rules.containsKey(target)) {
                throw new IllegalStateException(kind + " " + target + " already has a rule: " + rules.get(target));
            }
            rules.put(target, Collections.unmodifiableSet(new LinkedHashSet<>(List.of(scopes))));
        }
    }
}
