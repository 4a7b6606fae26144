package spark.desk.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import spark.desk.sop.Case;
import spark.desk.sop.Result;
import spark.desk.sop.Tags;
import spark.desk.sop.Write;

/**
 * The {@code case_milestones} row of each case (migration V41): what /ops, /api/stats and
 * /api/cases.csv count. Written inside the caller's transaction, with the decision it comes from:
 * at most one statement per decision (none for a decision that reaches no milestone), so the
 * decision path stays as short as it was. A milestone already reached keeps its first time.
 */
public final class MilestoneStore {
  /** The step-1 notes: the first one Zendesk takes is the webhook → note timing's end. */
  static final Set<String> STEP_ONE_NOTES = Set.of("1", "1.1", "1.2", "1.3");

  /** The column of each step's first decision ("3" and "4": the overdue and stalled notes). */
  private static final Map<String, String> FIRST = new LinkedHashMap<>();

  static {
    FIRST.put("1.1", "step1_1_at");
    FIRST.put("1.2", "step1_2_at");
    FIRST.put("1.3", "step1_3_at");
    FIRST.put("3", "logistics_overdue_at");
    FIRST.put("3.1", "step3_1_at");
    FIRST.put("3.2", "step3_2_at");
    FIRST.put("4", "tracking_stalled_at");
    FIRST.put("4.1", "step4_1_at");
    FIRST.put("4.2", "step4_2_at");
    FIRST.put("5.1", "step5_1_at");
    FIRST.put("5.2", "step5_2_at");
  }

  private static final String UPDATE;
  private static final String INSERT;

  static {
    StringBuilder set = new StringBuilder("update case_milestones set ");
    StringBuilder columns = new StringBuilder();
    StringBuilder values = new StringBuilder();
    for (String column : FIRST.values()) {
      set.append(column).append(" = coalesce(").append(column).append(", :").append(column);
      set.append("), ");
      columns.append(column).append(", ");
      values.append(':').append(column).append(", ");
    }
    UPDATE =
        set
            // Step 1 stopped again (another problem note): what needs a person since then.
            + "step1_stopped_at = coalesce(:step1_stopped_at, step1_stopped_at), "
            + "note1_at = coalesce(note1_at, :note1_at), "
            + "refund_escalated_at = coalesce(refund_escalated_at, :refund_escalated_at), "
            + "refusal_asked_at = coalesce(refusal_asked_at, :refusal_asked_at, "
            + "case when :by_request = 1 then coalesce(first_input_at, opened_at) end), "
            + "sop_step = coalesce(:sop_step, sop_step), "
            + "carrier = coalesce(carrier, :carrier), "
            + "logistics_requested_at = coalesce(logistics_requested_at, :logistics_requested_at), "
            + "logistics_result = :logistics_result, logistics_result_at = :logistics_result_at, "
            + "tracking_outcome = :tracking_outcome, customer_outcome = :customer_outcome "
            + "where ticket_id = :t";
    INSERT =
        "insert into case_milestones (ticket_id, opened_at, first_input_at, "
            + columns
            + "step1_stopped_at, note1_at, refund_escalated_at, refusal_asked_at, sop_step, carrier, "
            + "logistics_requested_at, logistics_result, logistics_result_at, tracking_outcome, "
            + "customer_outcome) select c.ticket_id, c.created_at, :first_input_at, "
            + values
            + ":step1_stopped_at, :note1_at, :refund_escalated_at, coalesce(:refusal_asked_at, "
            + "case when :by_request = 1 then coalesce(:first_input_at, c.created_at) end), "
            + ":sop_step, :carrier, :logistics_requested_at, :logistics_result, "
            + ":logistics_result_at, :tracking_outcome, :customer_outcome "
            + "from cases c where c.ticket_id = :t";
  }

  /**
   * Records the milestones of one stored decision ({@code r}, stored at {@code now}). {@code
   * opened}: this decision created the case (its row was just inserted); {@code firstInput}: when
   * the input it works on was accepted (null for a timer). {@code shadow}: its writes are never
   * sent, so a step-1 note counts as on the ticket when decided.
   */
  public void record(
      Handle h, Result r, Instant now, boolean shadow, Instant firstInput, boolean opened) {
    record(h, java.util.List.of(r), now, shadow, firstInput, opened);
  }

  /**
   * Records the milestones of the decisions one input came to, in order, in one statement (a step-1
   * input decides twice: before and after the order lookup), as the same decisions recorded one
   * after the other would leave the row. {@code opened}: the first of them created the case.
   */
  public void record(
      Handle h,
      java.util.List<Result> decisions,
      Instant now,
      boolean shadow,
      Instant firstInput,
      boolean opened) {
    Map<String, Object> v = null;
    boolean first = true;
    for (Result r : decisions) {
      boolean opening = opened && first;
      first = false;
      if (!opening && r.writes().isEmpty() && !r.fileLogisticsRequest() && r.refusalAsked() == null)
        continue; // nothing a milestone shows moved (history only)
      Map<String, Object> next = values(r, now, shadow);
      v = v == null ? next : merged(v, next);
    }
    if (v == null) return;
    if (opened || bind(h.createUpdate(UPDATE), v).execute() == 0) {
      v.put("first_input_at", firstInput);
      bind(h.createUpdate(INSERT), v).execute();
    }
  }

  /** The statement values of one decision. */
  private static Map<String, Object> values(Result r, Instant now, boolean shadow) {
    Case c = r.next();
    Map<String, Object> v = new LinkedHashMap<>();
    for (String column : FIRST.values()) v.put(column, null);
    Instant stopped = null;
    Instant note1 = null;
    Instant refund = null;
    for (Write w : r.writes()) {
      String column = FIRST.get(w.step());
      if (column != null && v.get(column) == null) v.put(column, now);
      if (w.step().equals("1")) stopped = now;
      if (shadow && STEP_ONE_NOTES.contains(w.step())) note1 = now;
      if (w.addTags().contains(Tags.REFUND_ESCALATED)) refund = now;
    }
    v.put("step1_stopped_at", stopped);
    v.put("note1_at", note1);
    v.put("refund_escalated_at", refund);
    v.put("refusal_asked_at", r.refusalAsked() == Result.RefusalAsked.NOW ? now : null);
    v.put("by_request", r.refusalAsked() == Result.RefusalAsked.BY_REQUEST ? 1 : 0);
    v.put("sop_step", c.sopStep());
    boolean filed = r.fileLogisticsRequest();
    v.put("carrier", filed && c.order() != null ? c.order().carrier() : null);
    v.put("logistics_requested_at", filed ? now : null);
    Case.Logistics l = c.logistics();
    // As on the case's logistics request (LogisticsStore mirrors the outcomes there): none without.
    boolean requested = l.result() != null;
    v.put("logistics_result", requested ? l.result().wire() : null);
    v.put("logistics_result_at", requested ? l.resultAt() : null);
    v.put("tracking_outcome", requested ? wire(c.watch().outcome()) : null);
    v.put("customer_outcome", requested ? wire(c.customer().outcome()) : null);
    v.put("t", c.ticketId());
    return v;
  }

  /** The columns {@link #UPDATE} sets to the latest decision's value when it has one. */
  private static final Set<String> LATEST_WINS = Set.of("step1_stopped_at", "sop_step");

  /** The columns {@link #UPDATE} sets to the latest decision's value, whatever it is. */
  private static final Set<String> LATEST_ALWAYS =
      Set.of(
          "logistics_result", "logistics_result_at", "tracking_outcome", "customer_outcome", "t");

  /**
   * The values of two decisions stored one after the other ({@code earlier} first), as {@link
   * #UPDATE} would leave the row after both: a first time keeps the earlier one, a latest value
   * takes the later one.
   */
  private static Map<String, Object> merged(
      Map<String, Object> earlier, Map<String, Object> later) {
    Map<String, Object> v = new LinkedHashMap<>(earlier);
    for (var e : later.entrySet()) {
      String column = e.getKey();
      if (column.equals("refusal_asked_at") || column.equals("by_request")) continue;
      if (LATEST_ALWAYS.contains(column)) v.put(column, e.getValue());
      else if (LATEST_WINS.contains(column)) {
        if (e.getValue() != null) v.put(column, e.getValue());
      } else if (v.get(column) == null) v.put(column, e.getValue());
    }
    // coalesce(refusal_asked_at, :refusal_asked_at, by request: the first input): the earlier
    // decision's answer, when it gave one, stands.
    boolean earlierAnswered =
        earlier.get("refusal_asked_at") != null || ((Integer) earlier.get("by_request")) == 1;
    if (!earlierAnswered) {
      v.put("refusal_asked_at", later.get("refusal_asked_at"));
      v.put("by_request", later.get("by_request"));
    }
    return v;
  }

  /** Zendesk took a write of {@code step}: the first step-1 note to reach the ticket is kept. */
  public void noteApplied(Handle h, long ticketId, String step, Instant at) {
    if (!STEP_ONE_NOTES.contains(step)) return;
    h.createUpdate(
            "update case_milestones set note1_at = :at where ticket_id = :t and note1_at is null")
        .bind("t", ticketId)
        .bind("at", at)
        .execute();
  }

  private static <S extends SqlStatement<S>> S bind(S statement, Map<String, Object> values) {
    values.forEach(
        (name, value) -> {
          if (value instanceof Instant i) statement.bind(name, i);
          else if (value instanceof Integer n) statement.bind(name, n);
          else if (value instanceof Long n) statement.bind(name, n);
          else if (value == null && name.endsWith("_at")) statement.bind(name, (Instant) null);
          else statement.bind(name, (String) value);
        });
    return statement;
  }

  private static String wire(Case.Word w) {
    return w == null ? null : w.wire();
  }
}
