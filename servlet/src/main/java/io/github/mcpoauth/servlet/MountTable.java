package io.github.mcpoauth.servlet;

import io.github.mcpoauth.core.resource.AccessTokenVerifier;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import io.github.mcpoauth.servlet.McpOAuth.FilterMount;
import io.github.mcpoauth.servlet.McpOAuth.Mount;
import io.github.mcpoauth.servlet.guard.McpScopeRules;
import io.github.mcpoauth.servlet.internal.guard.BearerGuardFilter;
import io.github.mcpoauth.servlet.internal.guard.CorsFilter;
import io.github.mcpoauth.servlet.internal.guard.ProtectedResourceMetadataServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Where the servlets and filters of one {@link McpOAuth} or {@link McpResourceServer} go in a servlet context: the
 * path arithmetic (absolute endpoint paths to context-relative mappings), the resource guards and their metadata,
 * and the registration itself. Every name carries the instance's key, so two instances can share a context.
 */
final class MountTable {

    private static final System.Logger LOG = System.getLogger(McpOAuth.class.getName());

    private final String key;

    MountTable(String key) {
        this.key = key;
    }

    /** The servlet or filter name of {@code endpoint} for this instance. */
    String name(String endpoint) {
        return "mcp-oauth-" + key + "-" + endpoint;
    }

    /** Registers {@code filters}, then {@code mounts}, on {@code context}; fails on a name or path taken already. */
    static void install(ServletContext context, List<FilterMount> filters, List<Mount> mounts) {
        install(context, filters, mounts, Set.of());
    }

    /**
     * Registers {@code filters}, then {@code mounts}, on {@code context}; fails on a name or path taken already,
     * except that a path of {@code optional} (the root aliases) the application maps itself is left to the
     * application, with a warning.
     */
    static void install(ServletContext context, List<FilterMount> filters, List<Mount> mounts, Set<String> optional) {
        for (FilterMount f : filters) {
            FilterRegistration.Dynamic reg = context.addFilter(f.name(), f.filter());
            if (reg == null) {
                throw new IllegalStateException("a filter named " + f.name() + " is registered already");
            }
            reg.setAsyncSupported(true);
            // REQUEST only: an async dispatch continues a request the guard already let through (and whose
            // Authorization header it has hidden).
            reg.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false,
                    f.paths().toArray(String[]::new));
        }
        Set<String> taken = mapped(context);
        for (Mount m : mounts) {
            ServletRegistration.Dynamic reg = context.addServlet(m.name(), m.servlet());
            if (reg == null) {
                throw new IllegalStateException("a servlet named " + m.name() + " is registered already");
            }
            reg.setAsyncSupported(true); // request bodies are read asynchronously (no thread held while they trickle)
            List<String> paths = new ArrayList<>(m.paths());
            for (String alias : optional) {
                if (paths.contains(alias) && taken.contains(alias)) {
                    paths.remove(alias);
                    LOG.log(System.Logger.Level.WARNING, "root alias {0} not mounted: the application maps it "
                            + "already (turn root aliases off to silence this)", alias);
                }
            }
            Set<String> conflicts = reg.addMapping(paths.toArray(String[]::new));
            if (!conflicts.isEmpty()) {
                throw new IllegalStateException("paths already mapped to other servlets: " + conflicts);
            }
        }
    }

    private static Set<String> mapped(ServletContext context) {
        Set<String> taken = new HashSet<>();
        try {
            context.getServletRegistrations().values().forEach(r -> taken.addAll(r.getMappings()));
        } catch (UnsupportedOperationException e) {
            // a context handed to an undeclared listener: addServlet fails just after, with the container's message
        }
        return taken;
    }

    /**
     * A bearer guard for each resource that {@code servedHere} accepts and whose path lies inside the context:
     * the resource's path and everything below it (RFC 6750, RFC 9728 §5.1); with {@code cors}, a CORS filter in
     * front of them and of the metadata paths.
     */
    List<FilterMount> guards(String contextPath, List<ProtectedResourceSettings> resources,
            Function<URI, AccessTokenVerifier> verifiers, McpScopeRules scopeRules, boolean cors,
            Predicate<URI> servedHere, UnaryOperator<BearerGuardFilter.Builder> customize) {
        List<FilterMount> filters = new ArrayList<>();
        List<String> corsPaths = new ArrayList<>(ProtectedResourceMetadataServlet.URL_PATTERNS);
        int i = 0;
        for (ProtectedResourceSettings resource : resources) {
            URI r = resource.resource();
            i++;
            if (!servedHere.test(r)) {
                LOG.log(System.Logger.Level.INFO, "{0} is on another origin; guard it there with "
                        + "McpResourceServer", r);
                continue;
            }
            String path = r.getRawPath() == null || r.getRawPath().isEmpty() ? "/" : r.getRawPath();
            List<String> paths = relative(contextPath, path.equals("/") ? List.of("/*") : List.of(path, path + "/*"));
            if (paths.isEmpty()) {
                continue;
            }
            BearerGuardFilter.Builder guard = customize.apply(BearerGuardFilter.builder(resource, verifiers.apply(r)));
            if (scopeRules != null) {
                guard.scopeRules(scopeRules);
            }
            filters.add(new FilterMount(name("guard-" + i), guard.build(), paths));
            corsPaths.addAll(paths);
        }
        if (cors && !corsPaths.isEmpty()) {
            filters.add(0, new FilterMount(name("cors"), new CorsFilter(), corsPaths));
        }
        return List.copyOf(filters);
    }

    /**
     * The RFC 9728 metadata servlet of {@code resources}, at the well-known paths inside the context: the
     * documents' own paths in the root context; under a context path, where a proxy forwards them (the paths RFC
     * 9728 gives lie outside the context: see {@link RootWellKnown}).
     */
    Optional<Mount> resourceMetadata(List<ProtectedResourceSettings> resources) {
        if (resources.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Mount(name("resource-metadata"), ProtectedResourceMetadataServlet.of(resources),
                ProtectedResourceMetadataServlet.URL_PATTERNS));
    }

    static void addAlias(List<String> paths, String contextPath, String alias) {
        strip(contextPath, alias).filter(a -> !paths.contains(a)).ifPresent(paths::add);
    }

    static List<String> relative(String contextPath, List<String> absolute) {
        Set<String> out = new LinkedHashSet<>();
        for (String path : absolute) {
            Optional<String> r = strip(contextPath, path);
            if (r.isPresent()) {
                out.add(r.get());
            } else {
                LOG.log(System.Logger.Level.WARNING, "{0} lies outside the context path {1}: serve it from the root "
                        + "context (rootInitializer()) or route it on a proxy; see docs/deployment.md",
                        path, contextPath);
            }
        }
        return List.copyOf(out);
    }

    static String relativeOne(String contextPath, String absolute) {
        return strip(contextPath, absolute).orElseThrow(() -> new IllegalStateException("endpoint " + absolute
                + " is outside the servlet context path " + contextPath + ": align the issuer with the context"));
    }

    private static Optional<String> strip(String contextPath, String path) {
        String ctx = contextPath == null ? "" : contextPath;
        if (ctx.isEmpty()) {
            return Optional.of(path);
        }
        return path.startsWith(ctx + "/") ? Optional.of(path.substring(ctx.length())) : Optional.empty();
    }
}
