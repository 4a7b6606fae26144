package spark.desk.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;
import spark.desk.shared.DeskException;
import spark.desk.shared.Json;
import spark.desk.sop.Case;
import spark.desk.sop.Stage;

/**
 * Cases and their timelines. Every method works inside the caller's handle, so one decision is
 * stored in one transaction with its writes ({@link WriteStore}) and logistics request ({@link
 * LogisticsStore}).
 */
public final class CaseStore {
  private final ObjectMapper json = Json.mapper();

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

  /** A case as read, with the version its row had: the decision stores only if it still has it. */
  public record Versioned(Case current, long version) {}

  public Optional<Versioned> findVersioned(Handle h, long ticketId) {
    return h.createQuery("select state, version from cases where ticket_id = :t")
        .bind("t", ticketId)
        .map((rs, ctx) -> new Versioned(readCase(rs.getString(1)), rs.getLong(2)))
        .findOne();
  }

  /** A ticket's waiting inputs in arrival order, and its case as it stands (empty: none yet). */
  public record Waiting(List<InboxItem> items, Optional<Versioned> current) {}

  /**
   * The ticket's waiting inputs and its case, unlocked (look first, then lock), in one statement:
   * the case's columns come with each input (no inputs: nothing to work, so no case either).
   */
  public Waiting waiting(Handle h, long ticketId) {
    record Row(InboxItem item, String state, Long version) {}
    List<Row> rows =
        h.createQuery(
                "select i.id, i.ticket_id, i.kind, i.payload, i.received_at, c.state, c.version"
                    + " from inbox i left join cases c on c.ticket_id = i.ticket_id"
                    + " where i.ticket_id = :t and i.processed_at is null order by i.id")
            .bind("t", ticketId)
            .map(
                (rs, ctx) ->
                    new Row(
                        new InboxItem(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getObject(5, java.time.OffsetDateTime.class).toInstant()),
                        rs.getString(6),
                        rs.getObject(7) == null ? null : rs.getLong(7)))
            .list();
    if (rows.isEmpty()) return new Waiting(List.of(), Optional.empty());
    Row first = rows.get(0);
    Optional<Versioned> current =
        first.state() == null
            ? Optional.empty()
            : Optional.of(new Versioned(readCase(first.state()), first.version()));
    return new Waiting(rows.stream().map(Row::item).toList(), current);
  }

  /**
   * Locks the case row until the transaction ends and returns its version (empty: no case yet).
   * Held only while a decision already made is checked and stored, never across an outside call.
   */
  public Optional<Long> lockVersion(Handle h, long ticketId) {
    return h.createQuery("select version from cases where ticket_id = :t for update")
        .bind("t", ticketId)
        .mapTo(Long.class)
        .findOne();
  }

  /**
   * The version the round expects still there, checked: for a case read (present) its row is locked
   * until the transaction ends and its version compared; for a case not found when read (empty),
   * there is no row to lock, so a plain look (which H2 caches, unlike a {@code select ... for
   * update}) checks that none was inserted since. False: the case moved.
   */
  public boolean stillAt(Handle h, long ticketId, Optional<Long> version) {
    if (version.isPresent()) return lockVersion(h, ticketId).equals(version);
    return !exists(h, ticketId);
  }

  /**
   * Stores the case and moves its version on (a new case starts at version 1); true when the case
   * was new.
   */
  public boolean saveCase(Handle h, Case c, Instant now) {
    return saveCase(h, c, now, true);
  }

  /**
   * Stores the case; true when this inserted it. {@code mayExist}: false when the caller knows the
   * case has no row yet (it holds the lock that proves it), which saves the update that would find
   * none.
   */
  public boolean saveCase(Handle h, Case c, Instant now, boolean mayExist) {
    String state = writeJson(CaseState.of(c));
    int updated =
        !mayExist
            ? 0
            : bindCase(
                    h.createUpdate(
                        "update cases set stage = :stage, order_number = :o, tracking_number = :tn, "
                            + "next_due_at = :due, state = :state, updated_at = :now, version = version + 1 "
                            + "where ticket_id = :t"),
                    c,
                    state,
                    now)
                .execute();
    if (updated == 0) {
      bindCase(
              h.createUpdate(
                  "insert into cases (ticket_id, stage, order_number, tracking_number, next_due_at, state, created_at, updated_at, version) "
                      + "values (:t, :stage, :o, :tn, :due, :state, :now, :now, 1)"),
              c,
              state,
              now)
          .execute();
    }
    return updated == 0;
  }

  private static Update bindCase(Update u, Case c, String state, Instant now) {
    return u.bind("t", c.ticketId())
        .bind("stage", c.stage().wire())
        .bind("o", c.orderNumber())
        .bind("tn", c.trackingNumber())
        .bind("due", c.nextDueAt())
        .bind("state", state)
        .bind("now", now);
  }

  /** A case as the ops list shows it: with its logistics request, if it has one. */
  public record Listed(Case c, Optional<LogisticsRequest> request) {}

  /**
   * One page of the ops list (contract section 10) in one query: the cases in one stage, or,
   * without a stage, every open case (not at one of the SOP's ends), by ticket id (which never
   * changes, so a page boundary stays put while cases move), after {@code afterTicket} (0: from the
   * start), at most {@code limit}.
   */
  public List<Listed> listPage(Handle h, Optional<Stage> stage, long afterTicket, int limit) {
    List<String> stages =
        stage
            .map(s -> List.of(s.wire()))
            .orElseGet(
                () ->
                    Arrays.stream(Stage.values())
                        .filter(s -> !s.ended())
                        .map(Stage::wire)
                        .toList());
    return h.createQuery(
            "select c.state as case_state, l.* from cases c"
                + " left join logistics_requests l on l.ticket_id = c.ticket_id"
                + " where c.stage in (<stages>) and c.ticket_id > :after"
                + " order by c.ticket_id limit :limit")
        .bindList("stages", stages)
        .bind("after", afterTicket)
        .bind("limit", limit)
        .map(
            (rs, ctx) ->
                new Listed(
                    readCase(rs.getString("case_state")),
                    rs.getObject("id") == null
                        ? Optional.empty()
                        : Optional.of(LogisticsStore.row(rs))))
        .list();
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

  // ---- history ----------------------------------------------------------------------------

  public void addHistory(Handle h, long ticketId, Instant at, String step, String text) {
    h.createUpdate("insert into case_history (ticket_id, at, step, text) values (:t, :at, :s, :x)")
        .bind("t", ticketId)
        .bind("at", at)
        .bind("s", step)
        .bind("x", text)
        .execute();
  }

  /** One line of a case's timeline: its SOP step (null: none) and its text. */
  public record Line(String step, String text) {}

  /**
   * Adds the lines, in order, in one statement (a decision's timeline is stored together: one
   * statement instead of one per line).
   */
  public void addHistory(Handle h, long ticketId, Instant at, List<Line> lines) {
    if (lines.isEmpty()) return;
    if (lines.size() == 1) {
      addHistory(h, ticketId, at, lines.get(0).step(), lines.get(0).text());
      return;
    }
    StringBuilder sql =
        new StringBuilder("insert into case_history (ticket_id, at, step, text) values ");
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) sql.append(", ");
      sql.append("(:t, :at, :s").append(i).append(", :x").append(i).append(')');
    }
    Update u = h.createUpdate(sql.toString()).bind("t", ticketId).bind("at", at);
    for (int i = 0; i < lines.size(); i++)
      u.bind("s" + i, lines.get(i).step()).bind("x" + i, lines.get(i).text());
    u.execute();
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

  /** The timelines of several cases in one query, by ticket (a ticket without one is absent). */
  public Map<Long, List<HistoryEntry>> histories(Handle h, Collection<Long> ticketIds) {
    if (ticketIds.isEmpty()) return Map.of();
    record Line(long ticketId, HistoryEntry entry) {}
    return h
        .createQuery(
            "select ticket_id, at, step, text from case_history where ticket_id in (<t>)"
                + " order by ticket_id, id")
        .bindList("t", List.copyOf(ticketIds))
        .map(
            (rs, ctx) ->
                new Line(
                    rs.getLong(1),
                    new HistoryEntry(
                        rs.getObject(2, java.time.OffsetDateTime.class).toInstant(),
                        rs.getString(3),
                        rs.getString(4))))
        .list()
        .stream()
        .collect(
            Collectors.groupingBy(
                Line::ticketId, Collectors.mapping(Line::entry, Collectors.toList())));
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
