package spark.desk.ops;

import org.junit.jupiter.api.extension.ExtendWith;
import spark.desk.testing.Postgres;
import spark.desk.testing.TestDatabase;

/** The same as {@link CaseMilestonesTest}, on PostgreSQL (a fresh schema per test). */
@ExtendWith(Postgres.Required.class)
class CaseMilestonesPostgresTest extends CaseMilestonesTest {
  @Override
  TestDatabase freshDatabase() {
    return Postgres.freshSchema();
  }
}
