package spark.desk.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import spark.desk.shared.DeskException;
import spark.desk.shared.Json;
import spark.desk.sop.Case;
import spark.desk.sop.Stage;
import spark.desk.sop.Write;

/**
 * Cases, their timelines, the decided Zendesk writes, the inbox and the webhook deliveries. Every
 * method works inside the caller's handle, so one decision is stored in one transaction.
 */
public final class CaseStore {
  private final ObjectMapper json = Json.mapper();

  // ---- deliveries and inbox ------------------------------------------------------------

  /**
   * Remembers a webhook delivery; false when it was taken before, also by a concurrent transaction.
   */
  public boolean rememberDelivery(Handle h, String invocationId, Instant at) {
    return UniqueInsert.attempt(
            h,
            () ->
                h.createUpdate(
                        "insert into deliveries (invocation_id, received_at) select :id, :at "
                            + "where not exists (select 1 from deliveries where invocation_id = :id)")
                    .bind("id", invocationId)
                    .bind("at", at)
                    .execute())
        .map(inserted -> inserted == 1)
        .orElse(false);
  }

  /** Whether a delivery id was already taken, without taking it. */
  public boolean deliveryKnown(Handle h, String invocationId) {
    return h.createQuery("select count(*) from deliveries where invocation_id = :id")
            .bind("id", invocationId)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  public long addToInbox(Handle h, long ticketId, String kind, String payload, Instant at) {
    return h.createUpdate(
            "insert into inbox (ticket_id, kind, payload, received_at) values (:t, :k, :p, :at)")
        .bind("t", ticketId)
        .bind("k", kind)
        .bind("p", payload)
        .bind("at", at)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /**
   * The ticket's waiting inputs, locked until the transaction ends (a second worker waits, then
   * finds none).
   */
  public List<InboxItem> lockPendingInbox(Handle h, long ticketId) {
    return h.createQuery(
            "select id, ticket_id, kind, payload, received_at from inbox "
                + "where ticket_id = :t and processed_at is null order by id for update")
        .bind("t", ticketId)
        .map(
            (rs, ctx) ->
                new InboxItem(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getObject(5, java.time.OffsetDateTime.class).toInstant()))
        .list();
  }

  public void markProcessed(Handle h, long inboxId, Instant at) {
    h.createUpdate("update inbox set processed_at = :at where id = :id")
        .bind("id", inboxId)
        .bind("at", at)
        .execute();
  }

  /** Whether the ticket ever had an input accepted. */
  public boolean hasInbox(Handle h, long ticketId) {
    return h.createQuery("select count(*) from inbox where ticket_id = :t")
            .bind("t", ticketId)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  /**
   * Tickets with inbox items older than {@code before} still waiting: the recovery sweep's work.
   */
  public List<Long> ticketsWithStaleInbox(Handle h, Instant before) {
    return h.createQuery(
            "select distinct ticket_id from inbox where processed_at is null and received_at < :b")
        .bind("b", before)
        .mapTo(Long.class)
        .list();
  }

  public int pendingInboxCount(Handle h) {
    return h.createQuery("select count(*) from inbox where processed_at is null")
        .mapTo(Integer.class)
        .one();
  }

  // ---- cases -----------------------------------------------------------------------------

  public boolean exists(Handle h, long ticketId) {
    return h.createQuery("select count(*) from cases where ticket_id = :t")
            .bind("t", ticketId)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  public Optional<Case> findCase(Handle h, long ticketId) {
    return h.createQuery("select state from cases where ticket_id = :t")
        .bind("t", ticketId)
        .mapTo(String.class)
        .findOne()
        .map(this::readCase);
  }

  /**
   * Reads the case and holds its row lock until the transaction ends: one decision at a time per
   * ticket.
   */
  public Optional<Case> lockCase(Handle h, long ticketId) {
    return h.createQuery("select state from cases where ticket_id = :t for update")
        .bind("t", ticketId)
        .mapTo(String.class)
        .findOne()
        .map(this::readCase);
  }

  public void saveCase(Handle h, Case c, Instant now) {
    String state = writeJson(CaseState.of(c));
    int updated =
        h.createUpdate(
                "update cases set stage = :stage, order_number = :o, tracking_number = :tn, "
                    + "next_due_at = :due, state = :state, updated_at = :now where ticket_id = :t")
            .bind("t", c.ticketId())
            .bind("stage", c.stage().wire())
            .bind("o", c.orderNumber())
            .bind("tn", c.trackingNumber())
            .bind("due", c.nextDueAt())
            .bind("state", state)
            .bind("now", now)
            .execute();
    if (updated == 0) {
      h.createUpdate(
              "insert into cases (ticket_id, stage, order_number, tracking_number, next_due_at, state, created_at, updated_at) "
                  + "values (:t, :stage, :o, :tn, :due, :state, :now, :now)")
          .bind("t", c.ticketId())
          .bind("stage", c.stage().wire())
          .bind("o", c.orderNumber())
          .bind("tn", c.trackingNumber())
          .bind("due", c.nextDueAt())
          .bind("state", state)
          .bind("now", now)
          .execute();
    }
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

  /**
   * The cases in one stage, or, without a stage, every open case (not at one of the SOP's ends), by
   * stage.
   */
  public List<Case> listCases(Handle h, Optional<Stage> stage) {
    if (stage.isPresent()) {
      return h.createQuery("select state from cases where stage = :s order by updated_at desc")
          .bind("s", stage.get().wire())
          .mapTo(String.class)
          .map(this::readCase)
          .list();
    }
    List<String> open =
        java.util.Arrays.stream(Stage.values()).filter(s -> !s.ended()).map(Stage::wire).toList();
    List<Case> cases =
        new java.util.ArrayList<>(
            h.createQuery(
                    "select state from cases where stage in (<open>) order by updated_at desc")
                .bindList("open", open)
                .mapTo(String.class)
                .map(this::readCase)
                .list());
    cases.sort(java.util.Comparator.comparing(Case::stage));
    return cases;
  }

  public List<Long> dueTickets(Handle h, Instant now) {
    return h.createQuery(
            "select ticket_id from cases where next_due_at <= :now order by next_due_at")
        .bind("now", now)
        .mapTo(Long.class)
        .list();
  }

  /** Open cases whose parcel has this tracking number: the ones a tracking push concerns. */
  public List<Long> ticketsTracking(Handle h, String trackingNumber) {
    return h.createQuery(
            "select ticket_id from cases where tracking_number = :tn and stage in ('awaiting_logistics', 'watching_tracking')")
        .bind("tn", trackingNumber)
        .mapTo(Long.class)
        .list();
  }

  // ---- history and writes ----------------------------------------------------------------

  public void addHistory(Handle h, long ticketId, Instant at, String step, String text) {
    h.createUpdate("insert into case_history (ticket_id, at, step, text) values (:t, :at, :s, :x)")
        .bind("t", ticketId)
        .bind("at", at)
        .bind("s", step)
        .bind("x", text)
        .execute();
  }

  public List<HistoryEntry> history(Handle h, long ticketId) {
    return h.createQuery("select at, step, text from case_history where ticket_id = :t order by id")
        .bind("t", ticketId)
        .map(
            (rs, ctx) ->
                new HistoryEntry(
                    rs.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                    rs.getString(2),
                    rs.getString(3)))
        .list();
  }

  public long addWrite(Handle h, long ticketId, Instant at, Write w, boolean shadow) {
    return h.createUpdate(
            "insert into writes (ticket_id, at, step, add_tags, remove_tags, note, macro, group_id, status, shadow, attempts) "
                + "values (:t, :at, :step, :add, :rm, :note, :macro, :g, :status, :shadow, 0)")
        .bind("t", ticketId)
        .bind("at", at)
        .bind("step", w.step())
        .bind("add", String.join(" ", w.addTags()))
        .bind("rm", String.join(" ", w.removeTags()))
        .bind("note", w.note())
        .bind("macro", w.macro())
        .bind("g", w.groupId())
        .bind("status", w.status())
        .bind("shadow", shadow)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  public List<StoredWrite> writes(Handle h, long ticketId) {
    return h.createQuery("select * from writes where ticket_id = :t order by id")
        .bind("t", ticketId)
        .map((rs, ctx) -> storedWrite(rs))
        .list();
  }

  public List<StoredWrite> pendingWrites(Handle h, long ticketId) {
    return h.createQuery(
            "select * from writes where ticket_id = :t and applied_at is null and shadow = false and gave_up = false order by id")
        .bind("t", ticketId)
        .map((rs, ctx) -> storedWrite(rs))
        .list();
  }

  /** The write with its row lock, if it still waits to be applied. */
  public Optional<StoredWrite> lockPendingWrite(Handle h, long writeId) {
    return h.createQuery(
            "select * from writes where id = :id and applied_at is null and gave_up = false for update")
        .bind("id", writeId)
        .map((rs, ctx) -> storedWrite(rs))
        .findOne();
  }

  public List<Long> ticketsWithPendingWrites(Handle h, Instant before) {
    return h.createQuery(
            "select distinct ticket_id from writes where applied_at is null and shadow = false and gave_up = false and at < :b")
        .bind("b", before)
        .mapTo(Long.class)
        .list();
  }

  public void markApplied(Handle h, long writeId, Instant at) {
    h.createUpdate("update writes set applied_at = :at, last_error = null where id = :id")
        .bind("id", writeId)
        .bind("at", at)
        .execute();
  }

  /** Zendesk refused the write for good (a 4xx other than 409/429): it is not tried again. */
  public void giveUp(Handle h, long writeId, String error) {
    h.createUpdate("update writes set gave_up = true, last_error = :e where id = :id")
        .bind("id", writeId)
        .bind("e", error == null ? null : error.substring(0, Math.min(error.length(), 1900)))
        .execute();
  }

  /** Counts a call to Zendesk as started, before it is made. */
  public void markAttempt(Handle h, long writeId) {
    h.createUpdate("update writes set attempts = attempts + 1 where id = :id")
        .bind("id", writeId)
        .execute();
  }

  public void recordError(Handle h, long writeId, String error) {
    h.createUpdate("update writes set last_error = :e where id = :id")
        .bind("id", writeId)
        .bind("e", error.substring(0, Math.min(error.length(), 1900)))
        .execute();
  }

  private static StoredWrite storedWrite(java.sql.ResultSet rs) throws java.sql.SQLException {
    Long group = rs.getObject("group_id") == null ? null : rs.getLong("group_id");
    var applied = rs.getObject("applied_at", java.time.OffsetDateTime.class);
    Write w =
        new Write(
            rs.getString("step"),
            tags(rs.getString("add_tags")),
            tags(rs.getString("remove_tags")),
            rs.getString("note"),
            rs.getString("macro"),
            group,
            rs.getString("status"));
    return new StoredWrite(
        rs.getLong("id"),
        rs.getLong("ticket_id"),
        rs.getObject("at", java.time.OffsetDateTime.class).toInstant(),
        w,
        rs.getBoolean("shadow"),
        applied == null ? null : applied.toInstant(),
        rs.getInt("attempts"));
  }

  private static TreeSet<String> tags(String s) {
    TreeSet<String> t = new TreeSet<>();
    if (s != null && !s.isBlank()) t.addAll(Arrays.asList(s.trim().split("\\s+")));
    return t;
  }

  // ---- pushed trackers -------------------------------------------------------------------

  /** The latest tracker of a parcel; a concurrent push of the same parcel makes this an update. */
  public void saveTracker(Handle h, String trackingNumber, String state, Instant at) {
    if (updateTracker(h, trackingNumber, state, at) > 0) return;
    boolean inserted =
        UniqueInsert.attempt(
                h,
                () ->
                    h.createUpdate(
                            "insert into trackers (tracking_number, state, received_at) values (:tn, :s, :at)")
                        .bind("tn", trackingNumber)
                        .bind("s", state)
                        .bind("at", at)
                        .execute())
            .isPresent();
    if (!inserted) updateTracker(h, trackingNumber, state, at);
  }

  private static int updateTracker(Handle h, String trackingNumber, String state, Instant at) {
    return h.createUpdate(
            "update trackers set state = :s, received_at = :at where tracking_number = :tn")
        .bind("tn", trackingNumber)
        .bind("s", state)
        .bind("at", at)
        .execute();
  }

  public Optional<String> findTracker(Handle h, String trackingNumber) {
    return h.createQuery("select state from trackers where tracking_number = :tn")
        .bind("tn", trackingNumber)
        .mapTo(String.class)
        .findOne();
  }

  private Case readCase(String state) {
    try {
      return json.readValue(state, CaseState.class).toCase();
    } catch (JsonProcessingException e) {
      throw new DeskException("stored case does not parse: " + e.getOriginalMessage(), e);
    }
  }

  private String writeJson(Object o) {
    try {
      return json.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new DeskException("cannot serialise " + o.getClass().getSimpleName(), e);
    }
  }

  /** The queue and case counts that /metrics shows. */
  public Map<String, Long> gauges(Handle h) {
    Map<String, Long> g = new LinkedHashMap<>();
    g.put("desk_inbox_pending", count(h, "select count(*) from inbox where processed_at is null"));
    g.put(
        "desk_writes_pending",
        count(
            h,
            "select count(*) from writes where applied_at is null and shadow = false and gave_up = false"));
    g.put("desk_writes_refused", count(h, "select count(*) from writes where gave_up = true"));
    h.createQuery("select stage, count(*) from cases group by stage")
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(e -> g.put("desk_cases{stage=\"" + e.getKey() + "\"}", e.getValue()));
    return g;
  }

  private static long count(Handle h, String sql) {
    return h.createQuery(sql).mapTo(Long.class).one();
  }
}
