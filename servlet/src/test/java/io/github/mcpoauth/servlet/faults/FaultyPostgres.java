package io.github.mcpoauth.servlet.faults;

import io.github.mcpoauth.core.store.testkit.EmbeddedPostgresPool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An embedded PostgreSQL of its own (not the one the other tests share) that a test may stop, start again on the
 * same data and port, or freeze ({@code SIGSTOP} of the postmaster and every backend). Data sources over it have
 * the timeouts docs/operations.md recommends, scaled down: connect 2 s, login 2 s, socket 4 s,
 * cancel signal 2 s.
 */
public final class FaultyPostgres implements AutoCloseable {

    private final Path dataDirectory;
    private EmbeddedPostgres server;
    private int port;
    private int databases;

    private FaultyPostgres(Path dataDirectory) throws IOException {
        this.dataDirectory = dataDirectory;
        this.server = builder().start();
        this.port = server.getPort();
    }

    public static FaultyPostgres start() throws IOException {
        return new FaultyPostgres(Files.createTempDirectory("mcp-oauth-faulty-pg"));
    }

    private EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off")
                .setPGStartupWait(Duration.ofSeconds(60));
    }

    /** A new database, through a small pool over a data source with short connect, login and socket timeouts. */
    public synchronized DataSource newDatabase() throws SQLException {
        String name = "faults_" + ++databases;
        execute("CREATE DATABASE " + name);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"localhost"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(name);
        ds.setUser("postgres");
        ds.setConnectTimeout(2);
        ds.setLoginTimeout(2);
        ds.setSocketTimeout(4);
        // the query timeout's cancel opens a connection of its own, which a frozen server never answers: bound it
        // too, or the statement waits for the cancel (10 s by default) while the cancel holds the connection's lock
        ds.setCancelSignalTimeout(2);
        return EmbeddedPostgresPool.over(ds);
    }

    /** The JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return server.getJdbcUrl("postgres", database);
    }

    /** Creates an empty database named {@code name}. */
    public void createDatabase(String name) throws SQLException {
        execute("CREATE DATABASE " + name);
    }

    /** Runs {@code sql} in the {@code postgres} database on a connection of its own. */
    public void execute(String sql) throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Stops the server (fast shutdown: connections are closed). */
    public void stop() throws IOException {
        server.close();
    }

    /** Starts the stopped server again, on the same data and port. */
    public void restart() throws IOException {
        server = builder().setPort(port).start();
    }

    /** Freezes the postmaster and every backend ({@code SIGSTOP}) until the returned handle is closed. */
    public Frozen freeze() throws IOException, InterruptedException {
        // the first line of postmaster.pid is the postmaster's process id
        long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IOException("no postmaster process " + pid));
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster.pid());
        try {
            // the postmaster first, so that it forks no backend after the listing; then every descendant, listed
            // again until a listing finds none new (a backend forked just before the postmaster stopped)
            signal("-STOP", pids);
            List<Long> found = newDescendants(postmaster, pids);
            while (!found.isEmpty()) {
                pids.addAll(found);
                signal("-STOP", found);
                found = newDescendants(postmaster, pids);
            }
        } catch (IOException | RuntimeException e) {
            signal("-CONT", pids); // never leave part of the server stopped when freezing fails
            throw e;
        }
        return () -> signal("-CONT", pids);
    }

    private static List<Long> newDescendants(ProcessHandle postmaster, List<Long> known) {
        return postmaster.descendants().map(ProcessHandle::pid).filter(p -> !known.contains(p)).toList();
    }

    /** Resumes what {@link #freeze()} froze. */
    public interface Frozen extends AutoCloseable {
        @Override
        void close() throws IOException, InterruptedException;
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!kill.waitFor(30, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new IOException("kill " + signal + " did not finish");
        }
        String output = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        // a backend that ended between listing and signalling is fine: every process still there got the signal
        boolean onlyGone = output.lines().allMatch(l -> l.isBlank() || l.contains("No such process"));
        if (kill.exitValue() != 0 && !onlyGone) {
            throw new IOException("kill " + signal + " failed: " + output);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
