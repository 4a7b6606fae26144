package spark.desk.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import spark.desk.sop.Case;

/** The logistics requests; at most one per ticket (the unique key makes step 2 happen once). */
public final class LogisticsStore {

  /**
   * Files the case's request, or returns the one the ticket has, also when a concurrent transaction
   * filed it.
   */
  public long file(Handle h, Case c, Instant at) {
    return file(h, c, at, false);
  }

  /**
   * As {@link #file(Handle, Case, Instant)}; {@code caseIsNew}: the caller's transaction inserted
   * the case's row, so the ticket has no request to look for first (the unique key still guards).
   */
  public long file(Handle h, Case c, Instant at, boolean caseIsNew) {
    if (!caseIsNew) {
      Optional<LogisticsRequest> existing = findByTicket(h, c.ticketId());
      if (existing.isPresent()) return existing.get().id();
    }
    var o = c.order();
    Optional<Long> filed =
        UniqueInsert.attempt(
            h,
            () ->
                h.createUpdate(
                        "insert into logistics_requests (ticket_id, order_number, tracking_number, carrier, shipped, submitted_at, result) "
                            + "values (:t, :o, :tn, :carrier, :shipped, :at, 'pending')")
                    .bind("t", c.ticketId())
                    .bind("o", c.orderNumber())
                    .bind("tn", o == null ? null : o.trackingNumber())
                    .bind("carrier", o == null ? null : o.carrier())
                    .bind("shipped", o != null && o.shipped())
                    .bind("at", at)
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one());
    // The other transaction has committed by now (the unique key waited for it), so its row is
    // visible.
    return filed.orElseGet(() -> findByTicket(h, c.ticketId()).orElseThrow().id());
  }

  /** Mirrors the case's parcel and customer outcomes on its request, for the logistics page. */
  public void saveOutcomes(Handle h, Case c) {
    h.createUpdate(
            "update logistics_requests set tracking_outcome = :to, customer_outcome = :co where ticket_id = :t")
        .bind("t", c.ticketId())
        .bind("to", wire(c.watch().outcome()))
        .bind("co", wire(c.customer().outcome()))
        .execute();
  }

  private static String wire(Case.Word w) {
    return w == null ? null : w.wire();
  }

  public Optional<LogisticsRequest> find(Handle h, long id) {
    return h.createQuery("select * from logistics_requests where id = :id")
        .bind("id", id)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  public Optional<LogisticsRequest> lock(Handle h, long id) {
    return h.createQuery("select * from logistics_requests where id = :id for update")
        .bind("id", id)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  public Optional<LogisticsRequest> findByTicket(Handle h, long ticketId) {
    return h.createQuery("select * from logistics_requests where ticket_id = :t")
        .bind("t", ticketId)
        .map((rs, ctx) -> row(rs))
        .findOne();
  }

  /** Pending first (oldest first), then the answered ones (newest answer first). */
  public List<LogisticsRequest> list(Handle h, boolean pendingOnly) {
    String sql =
        "select * from logistics_requests"
            + (pendingOnly ? " where result = 'pending'" : "")
            + " order by case when result = 'pending' then 0 else 1 end, "
            + "case when result = 'pending' then submitted_at end asc, result_at desc, id desc";
    return h.createQuery(sql).map((rs, ctx) -> row(rs)).list();
  }

  public void recordResult(Handle h, long id, String result, String by, String note, Instant at) {
    h.createUpdate(
            "update logistics_requests set result = :r, result_by = :by, note = :note, result_at = :at where id = :id")
        .bind("id", id)
        .bind("r", result)
        .bind("by", by)
        .bind("note", note)
        .bind("at", at)
        .execute();
  }

  static LogisticsRequest row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new LogisticsRequest(
        rs.getLong("id"),
        rs.getLong("ticket_id"),
        rs.getString("order_number"),
        rs.getString("tracking_number"),
        rs.getString("carrier"),
        rs.getBoolean("shipped"),
        instant(rs.getObject("submitted_at", OffsetDateTime.class)),
        rs.getString("result"),
        instant(rs.getObject("result_at", OffsetDateTime.class)),
        rs.getString("result_by"),
        rs.getString("note"),
        rs.getString("tracking_outcome"),
        rs.getString("customer_outcome"));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
