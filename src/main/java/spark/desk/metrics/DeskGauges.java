package spark.desk.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** The desk's counts that /metrics shows, read from the database in one go. */
public final class DeskGauges {
  /** The counts at one moment. */
  public record Snapshot(
      Map<String, Long> decisionsByStep,
      Map<String, Long> casesByStage,
      long needsAttention,
      long inboxPending,
      long writesPending,
      long writesRefused) {
    static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), 0, 0, 0, 0);
  }

  private DeskGauges() {}

  /** {@code needsAttention}: the /ops count of cases that need a person. */
  public static Snapshot read(Handle h, long needsAttention) {
    return new Snapshot(
        grouped(h, "select step, count(*) from writes group by step"),
        grouped(h, "select stage, count(*) from cases group by stage"),
        needsAttention,
        count(h, "select count(*) from inbox where processed_at is null"),
        count(
            h,
            "select count(*) from writes where applied_at is null and shadow = false and gave_up = false"),
        count(h, "select count(*) from writes where gave_up = true and applied_at is null"));
  }

  private static Map<String, Long> grouped(Handle h, String sql) {
    Map<String, Long> m = new LinkedHashMap<>();
    h.createQuery(sql)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }

  private static long count(Handle h, String sql) {
    return h.createQuery(sql).mapTo(Long.class).one();
  }
}
