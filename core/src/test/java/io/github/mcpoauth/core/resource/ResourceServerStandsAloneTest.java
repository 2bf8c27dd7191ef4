package io.github.mcpoauth.core.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The resource server half of core needs nothing of the authorization server: no source file of this package
 * imports the stores, the authorization server or its internal packages, so a resource server whose tokens come
 * from Keycloak, Auth0 or Entra takes the guard alone.
 */
final class ResourceServerStandsAloneTest {

    private static final Pattern FORBIDDEN = Pattern.compile("^import (static )?io\\.github\\.mcpoauth\\.core\\."
            + "(store|AuthorizationServer|internal\\.(authorization|client|keys|metadata|token))\\b");

    @Test
    void whenResourcePackageReadThenItImportsNothingOfTheAuthorizationServer() throws IOException {
        Path dir = Path.of("src/main/java/io/github/mcpoauth/core/resource");
        assertThat(dir).isDirectory();
        List<String> offending;
        try (Stream<Path> files = Files.list(dir)) {
            offending = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(f -> lines(f).stream().filter(l -> FORBIDDEN.matcher(l).find())
                            .map(l -> f.getFileName() + ": " + l))
                    .toList();
        }
        assertThat(offending).isEmpty();
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
