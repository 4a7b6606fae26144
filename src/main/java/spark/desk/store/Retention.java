package spark.desk.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.sop.Stage;

/**
 * Contract 2, {@code RETENTION}: raw inputs (worked inbox rows with their bodies), delivery ids,
 * pushed trackers and ticket stamps older than it are deleted, and an ended case's customer e-mail
 * is blanked in its stored state once the case has not changed for that long. Case records, notes
 * (writes) and timelines (history) stay.
 */
public final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  /** What one pass removed. */
  public record Purged(int inbox, int deliveries, int trackers, int stamps, int emailsBlanked) {}

  private final Jdbi jdbi;
  private final Duration retention;
  private final Clock clock;
  private final ObjectMapper json;

  public Retention(Jdbi jdbi, Duration retention, Clock clock, ObjectMapper json) {
    this.jdbi = jdbi;
    this.retention = retention;
    this.clock = clock;
    this.json = json;
  }

  /**
   * One pass at the service clock's now: the runner calls it once a day, as a durable recurring
   * task that one instance of all those on the database runs (runner.Worker).
   */
  public Purged run() {
    Purged p = purge(clock.instant());
    log.info("retention {}: removed {}", retention, p);
    return p;
  }

  /** Deletes and blanks everything older than {@code now - RETENTION}. */
  public Purged purge(Instant now) {
    OffsetDateTime cutoff = now.minus(retention).atOffset(ZoneOffset.UTC);
    return jdbi.inTransaction(
        h -> {
          int inbox =
              delete(
                  h,
                  "delete from inbox where processed_at is not null and processed_at < :c",
                  cutoff);
          int deliveries = delete(h, "delete from deliveries where received_at < :c", cutoff);
          int trackers = delete(h, "delete from trackers where received_at < :c", cutoff);
          int stamps = delete(h, "delete from ticket_stamps where updated_at < :c", cutoff);
          return new Purged(inbox, deliveries, trackers, stamps, blankEmails(h, cutoff));
        });
  }

  private static int delete(Handle h, String sql, OffsetDateTime cutoff) {
    return h.createUpdate(sql).bind("c", cutoff).execute();
  }

  private int blankEmails(Handle h, OffsetDateTime cutoff) {
    List<String> ended =
        Arrays.stream(Stage.values()).filter(Stage::ended).map(Stage::wire).toList();
    List<Map<String, Object>> rows =
        h.createQuery(
                "select ticket_id, state from cases where stage in (<ended>) and updated_at < :c"
                    + " and state like '%\"customerEmail\":\"%'")
            .bindList("ended", ended)
            .bind("c", cutoff)
            .mapToMap()
            .list();
    int blanked = 0;
    for (Map<String, Object> row : rows) {
      JsonNode state;
      try {
        state = json.readTree(String.valueOf(row.get("state")));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        log.warn("case {}: stored state does not parse; e-mail not blanked", row.get("ticket_id"));
        continue;
      }
      if (!(state.path("order") instanceof ObjectNode order)
          || order.path("customerEmail").isNull()
          || order.path("customerEmail").isMissingNode()) continue;
      order.putNull("customerEmail");
      h.createUpdate("update cases set state = :s where ticket_id = :id")
          .bind("s", state.toString())
          .bind("id", ((Number) row.get("ticket_id")).longValue())
          .execute();
      blanked++;
    }
    return blanked;
  }
}
