package spark.desk.store;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import spark.desk.testing.Postgres;
import spark.desk.testing.TestDatabase;

/**
 * The store's contract on PostgreSQL, each test in a schema of its own. Skipped when no PostgreSQL
 * answers, except on CI with TEST_DATABASE_URL set (see {@link Postgres}).
 */
@ExtendWith(Postgres.Required.class)
class PostgresStoreTest extends StoreContract {
  @BeforeAll
  static void needsPostgres() {
    Postgres.assumeAvailable();
  }

  @Override
  TestDatabase freshDatabase() {
    return Postgres.freshSchema();
  }

  @Test
  void migrationsAndTheirHistoryLandInTheSchemaTheUrlNames() {
    String schema =
        db.jdbi()
            .withHandle(h -> h.createQuery("select current_schema()").mapTo(String.class).one());
    assertTrue(schema.startsWith("t_"), schema);
    List<String> tables =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "select table_name from information_schema.tables where table_schema = :s order by table_name")
                        .bind("s", schema)
                        .mapTo(String.class)
                        .list());
    assertTrue(
        tables.containsAll(List.of("flyway_schema_history", "cases", "scheduled_tasks")),
        tables.toString());
  }
}
