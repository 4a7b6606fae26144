package spark.desk.ops;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import spark.desk.testing.Postgres;
import spark.desk.testing.TestDatabase;

/** The same history and numbers as {@link OpsStatsTest}, on PostgreSQL. */
class OpsStatsPostgresTest extends OpsStatsTest {
  private static TestDatabase schema;

  @BeforeAll
  static void history() {
    Postgres.assumeAvailable();
    schema = Postgres.freshSchema();
    Map<String, String> env = schema.env();
    history(env);
  }

  @AfterAll
  static void dropSchema() throws Exception {
    // Runs before OpsStatsTest's @AfterAll: the service lets go of the schema first.
    if (desk != null) desk.close();
    desk = null;
    if (schema != null) schema.close();
  }
}
