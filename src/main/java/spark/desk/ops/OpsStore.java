package spark.desk.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import spark.desk.shared.Json;
import spark.desk.sop.Stage;

/**
 * The queries behind /ops, /api/stats and /api/cases.csv (plain SQL that runs on H2 and
 * PostgreSQL). A period's cases are read from {@code case_milestones} (migration V41, one row per
 * case, written with each decision) in one range scan of its index on {@code opened_at}: the funnel
 * and the carriers are counted by the database, the timings' moments are read for the percentiles
 * (working hours need the calendar). What needs a person starts from the few cases in a stage that
 * may need one ({@code cases_stage}), each with its milestone row by key.
 */
public final class OpsStore {
  /** The period's cases: opened in {@code [:f, :t)} (index {@code case_milestones_opened}). */
  private static final String PERIOD = "m.opened_at >= :f and m.opened_at < :t";

  /** The funnel's steps (contract section 12) and their columns. */
  private static final String[][] FUNNEL = {
    {"1.1", "step1_1_at"},
    {"1.2", "step1_2_at"},
    {"1.3", "step1_3_at"},
    {"3.1", "step3_1_at"},
    {"3.2", "step3_2_at"},
    {"4.1", "step4_1_at"},
    {"4.2", "step4_2_at"},
    {"5.1", "step5_1_at"},
    {"5.2", "step5_2_at"},
    {"refundEscalated", "refund_escalated_at"}
  };

  /** The funnel of the period's cases: how many reached each step (one aggregate). */
  public Map<String, Long> funnel(Handle h, Instant from, Instant to) {
    StringBuilder sql = new StringBuilder("select count(*)");
    for (String[] step : FUNNEL) sql.append(", count(").append(step[1]).append(')');
    sql.append(" from case_milestones m where ").append(PERIOD);
    return h.createQuery(sql.toString())
        .bind("f", from)
        .bind("t", to)
        .map(
            (rs, ctx) -> {
              Map<String, Long> f = new LinkedHashMap<>();
              f.put("requests", rs.getLong(1));
              for (int i = 0; i < FUNNEL.length; i++) f.put(FUNNEL[i][0], rs.getLong(i + 2));
              return f;
            })
        .one();
  }

  /**
   * Per carrier ({@code unknown} without one), the period's cases whose customer was asked to
   * refuse the parcel, and what came of it: returned to sender (4.1) or delivered anyway (4.2).
   * Worst carrier first.
   */
  public List<Stats.Carrier> carriers(Handle h, Instant from, Instant to) {
    List<Stats.Carrier> out =
        new ArrayList<>(
            h.createQuery(
                    "select coalesce(m.carrier, 'unknown') carrier, count(*), count(m.step4_1_at), "
                        + "count(m.step4_2_at) from case_milestones m where "
                        + PERIOD
                        + " and m.refusal_asked_at is not null group by coalesce(m.carrier, 'unknown')")
                .bind("f", from)
                .bind("t", to)
                .map(
                    (rs, ctx) ->
                        new Stats.Carrier(
                            rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .list());
    out.sort(
        Comparator.comparingLong(Stats.Carrier::deliveredAnyway)
            .thenComparingLong(Stats.Carrier::refusals)
            .reversed()
            .thenComparing(Stats.Carrier::carrier));
    return out;
  }

  /** The moments the timings measure, of each case of the period. */
  public List<Spans> spans(Handle h, Instant from, Instant to) {
    return h.createQuery(
            "select m.opened_at, m.first_input_at, m.note1_at, m.logistics_requested_at, "
                + "m.logistics_result_at, m.refusal_asked_at, m.step4_1_at, m.step4_2_at, "
                + "m.refund_escalated_at from case_milestones m where "
                + PERIOD)
        .bind("f", from)
        .bind("t", to)
        .map(
            (rs, ctx) ->
                new Spans(
                    instant(rs, 1),
                    instant(rs, 2),
                    instant(rs, 3),
                    instant(rs, 4),
                    instant(rs, 5),
                    instant(rs, 6),
                    Spans.earlier(instant(rs, 7), instant(rs, 8)),
                    instant(rs, 9)))
        .list();
  }

  /** One row per case of the period, oldest first, with every milestone (the CSV). */
  public List<Milestones> milestones(Handle h, Instant from, Instant to) {
    return h.createQuery(
            "select m.*, c.order_number, c.stage from case_milestones m "
                + "join cases c on c.ticket_id = m.ticket_id where "
                + PERIOD
                + " order by m.opened_at, m.ticket_id")
        .bind("f", from)
        .bind("t", to)
        .map(
            (rs, ctx) ->
                new Milestones(
                    rs.getLong("ticket_id"),
                    rs.getString("order_number"),
                    rs.getString("stage"),
                    rs.getString("sop_step"),
                    instant(rs, "opened_at"),
                    instant(rs, "first_input_at"),
                    instant(rs, "note1_at"),
                    instant(rs, "step1_1_at"),
                    instant(rs, "step1_2_at"),
                    instant(rs, "step1_3_at"),
                    instant(rs, "step3_1_at"),
                    instant(rs, "step3_2_at"),
                    instant(rs, "step4_1_at"),
                    instant(rs, "step4_2_at"),
                    instant(rs, "step5_1_at"),
                    instant(rs, "step5_2_at"),
                    instant(rs, "refund_escalated_at"),
                    instant(rs, "refusal_asked_at"),
                    rs.getString("carrier"),
                    instant(rs, "logistics_requested_at"),
                    rs.getString("logistics_result"),
                    instant(rs, "logistics_result_at"),
                    rs.getString("tracking_outcome"),
                    rs.getString("customer_outcome")))
        .list();
  }

  private static final List<String> OPEN =
      Arrays.stream(Stage.values()).filter(s -> !s.ended()).map(Stage::wire).toList();

  /** Open cases (not at one of the SOP's ends) by stage, every open stage present. */
  public Map<String, Long> openByStage(Handle h) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String s : OPEN) m.put(s, 0L);
    h.createQuery("select stage, count(*) from cases where stage in (<open>) group by stage")
        .bindList("open", OPEN)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }

  /** The open cases, oldest first, at most {@code limit}. */
  public List<OpenCase> openCases(Handle h, int limit) {
    return h.createQuery(
            "select ticket_id, order_number, stage, created_at, state from cases where stage in (<open>) "
                + "order by created_at, ticket_id fetch first "
                + limit
                + " rows only")
        .bindList("open", OPEN)
        .map(
            (rs, ctx) ->
                new OpenCase(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    instant(rs, 4),
                    nextAction(rs.getString(5))))
        .list();
  }

  /**
   * Everything that needs a person (contract section 12), oldest first: a case can appear once per
   * reason.
   */
  public List<Attention> needsAttention(Handle h) {
    String sql =
        // Step 1 could not classify the order: since its latest step-1 note.
        "select c.ticket_id, c.order_number, c.stage, c.stage reason, "
            + "coalesce(m.step1_stopped_at, c.updated_at) since from cases c "
            + "left join case_milestones m on m.ticket_id = c.ticket_id "
            + "where c.stage in ('lookup_failed', 'needs_order_number', 'order_not_found') "
            // Step 4: a watch past TRACKING_WATCH_LIMIT (its note is step 4) still watching.
            + "union all select c.ticket_id, c.order_number, c.stage, 'tracking_stalled', "
            + "m.tracking_stalled_at from cases c join case_milestones m on m.ticket_id = c.ticket_id "
            + "where c.stage = 'watching_tracking' and m.tracking_stalled_at is not null "
            // Step 3: logistics has not answered by the next working day.
            + "union all select c.ticket_id, c.order_number, c.stage, 'logistics_overdue', "
            + "m.logistics_overdue_at from cases c join case_milestones m on m.ticket_id = c.ticket_id "
            + "join logistics_requests l on l.ticket_id = c.ticket_id "
            + "where c.stage = 'awaiting_logistics' and l.result = 'pending' "
            + "and m.logistics_overdue_at is not null "
            // Zendesk refused an update for good (index writes_refused).
            + "union all select c.ticket_id, c.order_number, c.stage, 'write_refused', min(w.at) "
            + "from writes w join cases c on c.ticket_id = w.ticket_id "
            + "where w.gave_up = true and w.applied_at is null "
            + "group by c.ticket_id, c.order_number, c.stage "
            // An input the service could not work on, not retried since (index inbox_set_aside);
            // also one of a ticket that has no case yet (its first webhook).
            + "union all select i.ticket_id, c.order_number, c.stage, 'input_set_aside', "
            + "min(i.set_aside_at) from inbox i left join cases c on c.ticket_id = i.ticket_id "
            + "where i.set_aside_at is not null group by i.ticket_id, c.order_number, c.stage";
    return attention(h, sql);
  }

  /**
   * The rows of a needs-a-person query (ticket, order, stage, reason, since), oldest first; shared
   * with the benchmark's copy of the query before V41 and V42.
   */
  static List<Attention> attention(Handle h, String unionOfReasons) {
    return h.createQuery("select * from (" + unionOfReasons + ") a order by since, ticket_id")
        .map(
            (rs, ctx) ->
                new Attention(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    instant(rs, 5)))
        .list();
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** The case's next action, kept in its stored state (sop.Case, field {@code nextAction}). */
  private static String nextAction(String state) {
    try {
      JsonNode n = Json.mapper().readTree(state).path("nextAction");
      return n.isTextual() ? n.asText() : null;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }
}
