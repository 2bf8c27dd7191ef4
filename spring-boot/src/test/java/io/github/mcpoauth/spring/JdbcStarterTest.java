package io.github.mcpoauth.spring;

import static io.github.mcpoauth.spring.StarterApps.post;
import static io.github.mcpoauth.spring.StarterApps.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.store.Stores;
import io.github.mcpoauth.core.store.jdbc.JdbcStores;
import io.github.mcpoauth.core.store.testkit.EmbeddedPostgresDatabase;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Boot app with a {@code DataSource} (HikariCP on the build's embedded PostgreSQL) and
 * {@code mcp.oauth.storage.type=jdbc}: tables created at start, clients kept in the database, a cleanup job that
 * stops with the application.
 */
class JdbcStarterTest {

    @Test
    void whenStorageIsJdbcThenTablesAreMigratedAndClientsLiveInTheDatabase() throws Exception {
        String db = EmbeddedPostgresDatabase.uniqueName("boot");
        EmbeddedPostgresDatabase.execute("CREATE DATABASE " + db);
        StoreCleanupScheduler cleanup;
        try (ConfigurableApplicationContext app = StarterApps.start(
                "spring.autoconfigure.exclude=" + StarterApps.NO_SECURITY,
                "spring.datasource.url=" + EmbeddedPostgresDatabase.jdbcUrl(db),
                "spring.datasource.username=" + EmbeddedPostgresDatabase.user(),
                "mcp.oauth.storage.type=jdbc",
                "mcp.oauth.storage.table-prefix=mcp_",
                "mcp.oauth.storage.cleanup.initial-delay=0s")) {
            assertThat(app.getBean(Stores.class)).isSameAs(app.getBean(JdbcStores.class).stores());

            HttpResponse<String> r = send(post(app, "/oauth2/register", "application/json",
                    "{\"redirect_uris\":[\"http://127.0.0.1:9/cb\"],\"token_endpoint_auth_method\":\"none\"}"));
            assertThat(r.statusCode()).isEqualTo(201);
            Matcher id = Pattern.compile("\"client_id\":\"([^\"]+)\"").matcher(r.body());
            assertThat(id.find()).isTrue();

            JdbcTemplate jdbc = new JdbcTemplate(app.getBean(javax.sql.DataSource.class));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM mcp_client WHERE client_id = ?", Integer.class,
                    id.group(1))).isEqualTo(1);
            cleanup = app.getBean(StoreCleanupScheduler.class);
            assertThat(cleanup.isRunning()).isTrue();
        }
        assertThat(cleanup.isRunning()).isFalse();
    }
}
