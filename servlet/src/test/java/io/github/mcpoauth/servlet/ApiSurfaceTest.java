package io.github.mcpoauth.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.AuthorizationServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the public API of mcp-oauth-core and mcp-oauth-servlet: the packages their {@code module-info} exports, the
 * public types in them, and that no public signature of those types names a type of a non-exported package. A new
 * public type in an exported package fails here until it is added to {@link #PUBLIC_TYPES} on purpose.
 */
final class ApiSurfaceTest {

    private static final Set<String> CORE_EXPORTS = Set.of(
            "io.github.mcpoauth.core",
            "io.github.mcpoauth.core.client.document",
            "io.github.mcpoauth.core.error",
            "io.github.mcpoauth.core.event",
            "io.github.mcpoauth.core.resource",
            "io.github.mcpoauth.core.settings",
            "io.github.mcpoauth.core.store",
            "io.github.mcpoauth.core.store.jdbc",
            "io.github.mcpoauth.core.store.memory");

    private static final Set<String> SERVLET_EXPORTS = Set.of(
            "io.github.mcpoauth.servlet",
            "io.github.mcpoauth.servlet.consent",
            "io.github.mcpoauth.servlet.guard",
            "io.github.mcpoauth.servlet.limit",
            "io.github.mcpoauth.servlet.login");

    /** Every public top-level type of the exported packages. Keep it at 40 or fewer. */
    private static final Set<String> PUBLIC_TYPES = Set.of(
            "io.github.mcpoauth.core.AuthorizationServer",
            "io.github.mcpoauth.core.MachineClients",
            "io.github.mcpoauth.core.client.document.AddressPolicy",
            "io.github.mcpoauth.core.client.document.MetadataDocumentClients",
            "io.github.mcpoauth.core.error.OAuthException",
            "io.github.mcpoauth.core.event.AuditEvent",
            "io.github.mcpoauth.core.event.AuditListener",
            "io.github.mcpoauth.core.resource.AccessTokenPrincipal",
            "io.github.mcpoauth.core.resource.AccessTokenVerifier",
            "io.github.mcpoauth.core.resource.BearerChallenge",
            "io.github.mcpoauth.core.resource.ProtectedResourceMetadataDocument",
            "io.github.mcpoauth.core.resource.ProtectedResourceSettings",
            "io.github.mcpoauth.core.resource.RevocationCheck",
            "io.github.mcpoauth.core.settings.AuthorizationServerSettings",
            "io.github.mcpoauth.core.settings.DpopSettings",
            "io.github.mcpoauth.core.store.AuthorizationCode",
            "io.github.mcpoauth.core.store.AuthorizationCodeStore",
            "io.github.mcpoauth.core.store.ClientStore",
            "io.github.mcpoauth.core.store.Consent",
            "io.github.mcpoauth.core.store.ConsentStore",
            "io.github.mcpoauth.core.store.Grant",
            "io.github.mcpoauth.core.store.GrantStore",
            "io.github.mcpoauth.core.store.RegisteredClient",
            "io.github.mcpoauth.core.store.SigningKey",
            "io.github.mcpoauth.core.store.SigningKeyStore",
            "io.github.mcpoauth.core.store.StoreCleanup",
            "io.github.mcpoauth.core.store.StoreException",
            "io.github.mcpoauth.core.store.Stores",
            "io.github.mcpoauth.core.store.jdbc.JdbcStores",
            "io.github.mcpoauth.core.store.memory.InMemoryStores",
            "io.github.mcpoauth.servlet.McpOAuth",
            "io.github.mcpoauth.servlet.McpResourceServer",
            "io.github.mcpoauth.servlet.consent.ConsentPage",
            "io.github.mcpoauth.servlet.consent.ConsentView",
            "io.github.mcpoauth.servlet.guard.McpAuthContext",
            "io.github.mcpoauth.servlet.guard.McpScopeRules",
            "io.github.mcpoauth.servlet.limit.RateLimit",
            "io.github.mcpoauth.servlet.limit.RateLimits",
            "io.github.mcpoauth.servlet.login.OpenIdLogin",
            "io.github.mcpoauth.servlet.login.ResourceOwnerAuthenticator");

    /**
     * The one deliberate bridge: {@link AuthorizationServer} hands its endpoints to the servlet module (the only
     * module their packages are exported to). Code outside mcp-oauth cannot name these types on the module path.
     */
    private static final Set<String> BRIDGES = Set.of(
            "io.github.mcpoauth.core.AuthorizationServer#accessTokens",
            "io.github.mcpoauth.core.AuthorizationServer#authorization",
            "io.github.mcpoauth.core.AuthorizationServer#introspection",
            "io.github.mcpoauth.core.AuthorizationServer#metadata",
            "io.github.mcpoauth.core.AuthorizationServer#registration",
            "io.github.mcpoauth.core.AuthorizationServer#revocation",
            "io.github.mcpoauth.core.AuthorizationServer#signingKeys",
            "io.github.mcpoauth.core.AuthorizationServer#token",
            "io.github.mcpoauth.core.AuthorizationServer$Builder#secrets");

    @Test
    void whenModulesDescribedThenOnlyApiPackagesAreExportedToEveryone() throws Exception {
        ModuleDescriptor core = descriptor(AuthorizationServer.class);
        ModuleDescriptor servlet = descriptor(McpOAuth.class);

        assertThat(core.name()).isEqualTo("io.github.mcpoauth.core");
        assertThat(servlet.name()).isEqualTo("io.github.mcpoauth.servlet");
        assertThat(unqualifiedExports(core)).isEqualTo(CORE_EXPORTS);
        assertThat(unqualifiedExports(servlet)).isEqualTo(SERVLET_EXPORTS);
        assertThat(core.exports()).filteredOn(ModuleDescriptor.Exports::isQualified)
                .allSatisfy(e -> {
                    assertThat(e.source()).contains(".internal.");
                    assertThat(e.targets()).containsExactly("io.github.mcpoauth.servlet");
                });
        assertThat(servlet.exports()).noneMatch(ModuleDescriptor.Exports::isQualified);
    }

    @Test
    void whenPublicTypeAppearsInExportedPackageThenItMustBePinnedHere() throws Exception {
        Set<String> actual = new TreeSet<>();
        publicTypes(AuthorizationServer.class, CORE_EXPORTS).forEach(c -> actual.add(c.getName()));
        publicTypes(McpOAuth.class, SERVLET_EXPORTS).forEach(c -> actual.add(c.getName()));

        assertThat(actual).isEqualTo(new TreeSet<>(PUBLIC_TYPES));
        assertThat(actual).hasSizeLessThanOrEqualTo(40);
    }

    @Test
    void whenExportedTypeHasPublicSignatureThenItNamesNoInternalType() throws Exception {
        List<Class<?>> api = new ArrayList<>(publicTypes(AuthorizationServer.class, CORE_EXPORTS));
        api.addAll(publicTypes(McpOAuth.class, SERVLET_EXPORTS));
        Set<String> leaks = new TreeSet<>();
        for (Class<?> type : withPublicNested(api)) {
            List<Member> members = new ArrayList<>();
            members.addAll(List.of(type.getDeclaredMethods()));
            members.addAll(List.of(type.getDeclaredConstructors()));
            members.addAll(List.of(type.getDeclaredFields()));
            for (Member m : members) {
                if (!visible(m.getModifiers()) || m.isSynthetic()) {
                    continue;
                }
                String where = type.getName() + "#" + m.getName();
                for (Type t : signature(m)) {
                    for (Class<?> named : classesOf(t)) {
                        if (isInternal(named) && !BRIDGES.contains(where)) {
                            leaks.add(where + " names " + named.getName());
                        }
                    }
                }
            }
            if (type.getSuperclass() != null && isInternal(type.getSuperclass())) {
                leaks.add(type.getName() + " extends " + type.getSuperclass().getName());
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean isInternal(Class<?> c) {
        String pkg = c.getPackageName();
        return pkg.startsWith("io.github.mcpoauth.")
                && !CORE_EXPORTS.contains(pkg) && !SERVLET_EXPORTS.contains(pkg);
    }

    private static List<Type> signature(Member m) {
        List<Type> types = new ArrayList<>();
        if (m instanceof Method method) {
            types.add(method.getGenericReturnType());
        }
        if (m instanceof Executable e) {
            types.addAll(List.of(e.getGenericParameterTypes()));
            types.addAll(List.of(e.getGenericExceptionTypes()));
        }
        if (m instanceof Field f) {
            types.add(f.getGenericType());
        }
        if (m instanceof Constructor<?> c && c.getDeclaringClass().isEnum()) {
            types.clear();
        }
        return types;
    }

    private static List<Class<?>> classesOf(Type t) {
        List<Class<?>> out = new ArrayList<>();
        if (t instanceof Class<?> c) {
            out.add(c.isArray() ? c.getComponentType() : c);
        } else if (t instanceof ParameterizedType p) {
            out.addAll(classesOf(p.getRawType()));
            for (Type a : p.getActualTypeArguments()) {
                out.addAll(classesOf(a));
            }
        } else if (t instanceof GenericArrayType g) {
            out.addAll(classesOf(g.getGenericComponentType()));
        } else if (t instanceof WildcardType w) {
            Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds()))
                    .forEach(b -> out.addAll(classesOf(b)));
        }
        return out;
    }

    private static List<Class<?>> withPublicNested(List<Class<?>> types) {
        List<Class<?>> all = new ArrayList<>();
        for (Class<?> c : types) {
            all.add(c);
            List<Class<?>> nested = Stream.of(c.getDeclaredClasses())
                    .filter(n -> visible(n.getModifiers())).collect(Collectors.toList());
            all.addAll(withPublicNested(nested));
        }
        return all;
    }

    private static Set<String> unqualifiedExports(ModuleDescriptor d) {
        return d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
    }

    private static Path root(Class<?> anchor) throws URISyntaxException {
        return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ModuleDescriptor descriptor(Class<?> anchor) throws Exception {
        Path root = root(anchor);
        if (Files.isDirectory(root)) {
            try (InputStream in = Files.newInputStream(root.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        }
        try (JarFile jar = new JarFile(root.toFile()); InputStream in = jar.getInputStream(
                jar.getEntry("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    private static List<Class<?>> publicTypes(Class<?> anchor, Set<String> packages) throws Exception {
        List<String> names = new ArrayList<>();
        Path root = root(anchor);
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.map(p -> root.relativize(p).toString().replace('\\', '/')).forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(root.toFile())) {
                jar.stream().forEach(e -> names.add(e.getName()));
            }
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            if (!n.endsWith(".class") || n.contains("$") || n.endsWith("module-info.class")
                    || n.endsWith("package-info.class")) {
                continue;
            }
            String className = n.substring(0, n.length() - ".class".length()).replace('/', '.');
            Class<?> c = load(className, anchor);
            if (packages.contains(c.getPackageName()) && Modifier.isPublic(c.getModifiers())) {
                out.add(c);
            }
        }
        return out;
    }

    private static Class<?> load(String name, Class<?> anchor) throws IOException {
        try {
            return Class.forName(name, false, anchor.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IOException("cannot load " + name, e);
        }
    }
}
