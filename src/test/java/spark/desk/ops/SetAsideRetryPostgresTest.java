package spark.desk.ops;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import spark.desk.testing.Postgres;
import spark.desk.testing.TestDatabase;

/** The same set-aside inputs and retries as {@link SetAsideRetryTest}, on PostgreSQL. */
class SetAsideRetryPostgresTest extends SetAsideRetryTest {
  private TestDatabase schema;

  @Override
  Map<String, String> database() {
    Postgres.assumeAvailable();
    schema = Postgres.freshSchema();
    Map<String, String> env = schema.env();
    return env;
  }

  @AfterEach
  void dropSchema() throws Exception {
    // Runs before SetAsideRetryTest's @AfterEach: the service lets go of the schema first.
    if (desk != null) desk.close();
    desk = null;
    if (schema != null) schema.close();
  }
}
