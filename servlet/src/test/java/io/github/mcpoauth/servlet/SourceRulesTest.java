package io.github.mcpoauth.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * House rules over the main sources of core and servlet (read from the reactor's source folders): no file over 400
 * lines, every public top-level type documented, every package with a {@code package-info.java}.
 */
final class SourceRulesTest {

    private static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("../core/src/main/java"));
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public (final |abstract |sealed |non-sealed )*(class|interface|record|enum|@interface) ");

    @Test
    void whenMainSourcesReadThenNoFileIsOver400Lines() {
        List<String> tooLong = sources().filter(f -> lines(f).size() > 400)
                .map(f -> f + " has " + lines(f).size() + " lines").toList();

        assertThat(tooLong).isEmpty();
    }

    @Test
    void whenPublicTopLevelTypeDeclaredThenJavadocPrecedesIt() {
        List<String> undocumented = sources().filter(f -> !documented(lines(f))).map(Path::toString).toList();

        assertThat(undocumented).isEmpty();
    }

    @Test
    void whenPackageHasSourcesThenItHasPackageInfo() {
        List<String> missing = sources().map(Path::getParent).distinct()
                .filter(dir -> !dir.equals(Path.of("src/main/java")) && !dir.equals(Path.of("../core/src/main/java")))
                .filter(dir -> !Files.exists(dir.resolve("package-info.java")))
                .map(Path::toString).toList();

        assertThat(missing).isEmpty();
    }

    private static boolean documented(List<String> lines) {
        String previous = "";
        for (String line : lines) {
            if (PUBLIC_TYPE.matcher(line).find()) {
                return previous.endsWith("*/");
            }
            if (!line.isBlank() && !line.startsWith("@")) {
                previous = line.strip();
            }
        }
        return true; // not a public top-level type
    }

    private static Stream<Path> sources() {
        return ROOTS.stream().flatMap(root -> {
            assertThat(root).isDirectory();
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(f -> f.toString().endsWith(".java"))
                        .filter(f -> !f.getFileName().toString().equals("module-info.java")
                                && !f.getFileName().toString().equals("package-info.java"))
                        .toList().stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
