package spark.desk.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import spark.desk.shared.Json;
import spark.desk.sop.Stage;

/**
 * The queries behind /ops, /api/stats and /api/cases.csv (plain SQL that runs on H2 and
 * PostgreSQL). A period's cases are selected by {@code cases.created_at} (index {@code
 * cases_created}), and each case's milestones are read by the database from its own writes,
 * timeline and logistics request; the open cases and what needs a person are counted there too.
 */
public final class OpsStore {
  /** Step 4's timeline line when the customer was asked to refuse the parcel (Sop). */
  static final String REFUSAL_LINE = "The customer was asked to refuse the parcel%";

  /**
   * Step 1.2's note when the ticket already carried {@code cxl_refusal_requested} as the case
   * opened (Sop takes that tag as given, without a timeline line): the refusal was asked by the
   * time the request arrived.
   */
  static final String ASKED_BEFORE_NOTE = "%the customer was already asked to refuse the parcel%";

  /** CaseService's timeline line for an input it could not work on. */
  static final String SET_ASIDE_LINE = "An input (%) could not be worked on and was set aside%";

  /** The timeline line {@link Retry} adds; set-aside inputs before it are retried. */
  static final String RETRY_LINE = "Retry asked from /ops%";

  /**
   * One row per case of the period; the funnel and the carriers count over it. Each milestone is a
   * subquery on the case's own rows (indexes {@code writes_ticket}, {@code case_history_ticket},
   * {@code inbox_ticket_pending}), so the cost grows with the period's cases, not the table's.
   */
  private static final String MILESTONES;

  static {
    StringBuilder steps = new StringBuilder();
    for (String step : new String[] {"1.1", "1.2", "1.3", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2"})
      steps
          .append(firstWrite("w.step = '" + step + "'"))
          .append(" s")
          .append(step.replace(".", ""))
          .append(", ");
    String inner =
        "select c.ticket_id, c.order_number, c.stage, c.created_at, "
            + "(select w.step from writes w where w.ticket_id = c.ticket_id order by w.id desc fetch first 1 rows only) sop_step, "
            + "(select min(i.received_at) from inbox i where i.ticket_id = c.ticket_id) first_input, "
            + "(select min(coalesce(w.applied_at, case when w.shadow then w.at end)) from writes w "
            + "where w.ticket_id = c.ticket_id and w.step in ('1', '1.1', '1.2', '1.3')) note1, "
            + steps
            + firstWrite("w.add_tags like '%cxl_refund_escalated%'")
            + " refund, "
            + firstWrite("w.step = '1.2' and w.note like '" + ASKED_BEFORE_NOTE + "'")
            + " refusal_before, "
            + "(select min(x.at) from case_history x where x.ticket_id = c.ticket_id and x.step is null "
            + "and x.text like '"
            + REFUSAL_LINE
            + "') refusal_line, "
            + "l.carrier, l.submitted_at, l.result, l.result_at, l.tracking_outcome, l.customer_outcome "
            + "from cases c left join logistics_requests l on l.ticket_id = c.ticket_id "
            + "where c.created_at >= :f and c.created_at < :t";
    MILESTONES =
        "select m.*, coalesce(m.refusal_line, case when m.refusal_before is not null "
            + "then coalesce(m.first_input, m.created_at) end) refusal from ("
            + inner
            + ") m";
  }

  private static String firstWrite(String condition) {
    return "(select min(w.at) from writes w where w.ticket_id = c.ticket_id and " + condition + ")";
  }

  private static final List<String> OPEN =
      Arrays.stream(Stage.values()).filter(s -> !s.ended()).map(Stage::wire).toList();

  public List<Milestones> milestones(Handle h, Instant from, Instant to) {
    return h.createQuery(MILESTONES + " order by m.created_at, m.ticket_id")
        .bind("f", from)
        .bind("t", to)
        .map((rs, ctx) -> milestones(rs))
        .list();
  }

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
        // Step 1 could not classify the order.
        "select c.ticket_id, c.order_number, c.stage, c.stage reason, coalesce((select max(w.at) from writes w "
            + "where w.ticket_id = c.ticket_id and w.step = '1'), c.updated_at) since from cases c "
            + "where c.stage in ('lookup_failed', 'needs_order_number', 'order_not_found') "
            // Step 4: a watch past TRACKING_WATCH_LIMIT (its note is step 4) still watching.
            + "union all select c.ticket_id, c.order_number, c.stage, 'tracking_stalled', "
            + "(select min(w.at) from writes w where w.ticket_id = c.ticket_id and w.step = '4') from cases c "
            + "where c.stage = 'watching_tracking' and exists "
            + "(select 1 from writes w where w.ticket_id = c.ticket_id and w.step = '4') "
            // Step 3: logistics has not answered by the next working day.
            + "union all select c.ticket_id, c.order_number, c.stage, 'logistics_overdue', "
            + "(select min(w.at) from writes w where w.ticket_id = c.ticket_id and w.step = '3') from cases c "
            + "join logistics_requests l on l.ticket_id = c.ticket_id "
            + "where c.stage = 'awaiting_logistics' and l.result = 'pending' and exists "
            + "(select 1 from writes w where w.ticket_id = c.ticket_id and w.step = '3') "
            // Zendesk refused an update for good.
            + "union all select c.ticket_id, c.order_number, c.stage, 'write_refused', min(w.at) "
            + "from writes w join cases c on c.ticket_id = w.ticket_id "
            + "where w.gave_up = true and w.applied_at is null "
            + "group by c.ticket_id, c.order_number, c.stage "
            // An input the service could not work on, not retried since.
            + "union all select c.ticket_id, c.order_number, c.stage, 'input_set_aside', max(x.at) "
            + "from case_history x join cases c on c.ticket_id = x.ticket_id "
            + "where x.step is null and x.text like '"
            + SET_ASIDE_LINE
            + "' and x.id > coalesce((select max(y.id) from case_history y where y.ticket_id = x.ticket_id "
            + "and y.step is null and y.text like '"
            + RETRY_LINE
            + "'), 0) group by c.ticket_id, c.order_number, c.stage";
    return h.createQuery("select * from (" + sql + ") a order by since, ticket_id")
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

  private static Milestones milestones(ResultSet rs) throws SQLException {
    return new Milestones(
        rs.getLong("ticket_id"),
        rs.getString("order_number"),
        rs.getString("stage"),
        rs.getString("sop_step"),
        instant(rs, "created_at"),
        instant(rs, "first_input"),
        instant(rs, "note1"),
        instant(rs, "s11"),
        instant(rs, "s12"),
        instant(rs, "s13"),
        instant(rs, "s31"),
        instant(rs, "s32"),
        instant(rs, "s41"),
        instant(rs, "s42"),
        instant(rs, "s51"),
        instant(rs, "s52"),
        instant(rs, "refund"),
        instant(rs, "refusal"),
        rs.getString("carrier"),
        instant(rs, "submitted_at"),
        rs.getString("result"),
        instant(rs, "result_at"),
        rs.getString("tracking_outcome"),
        rs.getString("customer_outcome"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
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
