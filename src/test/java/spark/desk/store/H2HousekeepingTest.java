package spark.desk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 file stays near the size of its live data under many small commits each made
 * durable on its own ({@link Durability#sync()}: one chunk each, as a burst of webhooks), which it
 * does not without {@link H2Housekeeping} (no chunk is freed while it keeps a live page). Both
 * files are opened with {@code WRITE_DELAY=0}, which an operator may set and which stops H2's own
 * background housekeeping, so that the difference is this class's alone.
 */
class H2HousekeepingTest {
  private static final String ROW = "x".repeat(2_000);

  @TempDir Path dir;

  @Test
  void theFileDoesNotGrowWithEveryCommit() throws Exception {
    long withHousekeeping;
    try (Database db = Database.open(url("kept"), null, null)) {
      H2Housekeeping housekeeping = db.housekeeping().orElseThrow();
      for (int round = 0; round < 10; round++) {
        commitMany(db, round);
        housekeeping.tick();
      }
      withHousekeeping = Files.size(dir.resolve("kept.mv.db"));
    }
    long without;
    try (Database db = Database.open(url("left"), null, null)) {
      db.housekeeping().orElseThrow().close();
      for (int round = 0; round < 10; round++) commitMany(db, round);
      without = Files.size(dir.resolve("left.mv.db"));
    }
    assertTrue(
        withHousekeeping * 3 / 2 < without,
        "with housekeeping " + withHousekeeping + " bytes, without " + without);
  }

  @Test
  void nothingToKeepForPostgresOrMemory() {
    try (Database db = Database.open("jdbc:h2:mem:hk-" + System.nanoTime(), null, null)) {
      assertEquals(java.util.Optional.empty(), db.housekeeping());
    }
  }

  private String url(String name) {
    return "jdbc:h2:file:" + dir.resolve(name) + ";RETENTION_TIME=0;WRITE_DELAY=0";
  }

  /**
   * The service's pattern: rows added one commit at a time (inputs, history, writes) and each
   * updated soon after (its case), so old chunks keep a few live pages each.
   */
  private static void commitMany(Database db, int round) {
    db.jdbi()
        .useHandle(
            h -> {
              h.execute("create table if not exists t (id int primary key, v varchar(4000))");
              h.execute("create table if not exists x (id int primary key, v varchar(4000))");
              for (int i = round * 150; i < (round + 1) * 150; i++) {
                h.execute("insert into t values (?, ?)", i, ROW);
                Durability.sync();
                h.execute("insert into x values (?, ?)", i, ROW);
                Durability.sync();
                h.execute("update t set v = ? where id = ?", ROW + i, i);
                Durability.sync();
              }
            });
  }
}
