package spark.desk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * V42 keeps the inputs set aside before it listed: those whose timeline line ("An input (...) could
 * not be worked on and was set aside") has no retry after it get {@code set_aside_at}.
 */
class SetAsideMigrationTest {
  static final Instant T1 = Instant.parse("2026-11-20T10:00:00Z");
  static final Instant T2 = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void inputsSetAsideBeforeVersion42AndNotRetriedStaySetAside() {
    String url = "jdbc:h2:mem:set-aside-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    migrate(url, "30");
    Jdbi jdbi = Jdbi.create(url);
    jdbi.useHandle(
        h -> {
          // Ticket 1: a logistics result set aside, never retried.
          input(h, 1, "logistics_result", T1);
          line(h, 1, T1, "An input (logistics result) could not be worked on and was set aside: x");
          // Ticket 2: an agent action set aside, then retried (not worked since).
          input(h, 2, "agent_action", T1);
          line(h, 2, T1, "An input (agent action) could not be worked on and was set aside: y");
          line(h, 2, T2, "Retry asked from /ops: 0 refused Zendesk update(s) and 1 ...");
          // Ticket 3: an input worked normally.
          input(h, 3, "ticket", T1);
        });
    migrate(url, "42");
    List<Long> setAside =
        jdbi.withHandle(
            h ->
                h.createQuery("select ticket_id from inbox where set_aside_at is not null")
                    .mapTo(Long.class)
                    .list());
    assertEquals(List.of(1L), setAside);
  }

  private static void migrate(String url, String target) {
    Flyway.configure()
        .dataSource(url, "", "")
        .locations("classpath:db/migration/common", "classpath:db/migration/h2")
        .target(MigrationVersion.fromVersion(target))
        .load()
        .migrate();
  }

  private static void input(Handle h, long ticket, String kind, Instant processed) {
    h.createUpdate(
            "insert into inbox (ticket_id, kind, payload, received_at, processed_at) "
                + "values (:t, :k, '{}', :at, :at)")
        .bind("t", ticket)
        .bind("k", kind)
        .bind("at", processed)
        .execute();
  }

  private static void line(Handle h, long ticket, Instant at, String text) {
    h.createUpdate(
            "insert into case_history (ticket_id, at, step, text) values (:t, :at, null, :x)")
        .bind("t", ticket)
        .bind("at", at)
        .bind("x", text)
        .execute();
  }
}
