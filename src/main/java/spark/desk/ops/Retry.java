package spark.desk.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Jdbi;
import spark.desk.cases.CaseService;
import spark.desk.store.InboxStore;

/**
 * {@code POST /api/cases/{ticketId}/retry} (contract section 3): works a case's set-aside inputs
 * and refused Zendesk writes again. A refused write was never applied, so sending it again cannot
 * make a second note; a set-aside input is put back in the inbox as it was (waiting again, so the
 * work queue works it once). A case stuck on its order lookup or its tracking also gets a re-check,
 * as the sidebar's "Re-check" does.
 */
public final class Retry {
  /** What a retry re-queued. */
  public record Outcome(long ticketId, int writes, int inputs, boolean recheck) {
    public boolean any() {
      return writes > 0 || inputs > 0 || recheck;
    }
  }

  private static final Set<String> RECHECKED = Set.of("lookup_failed", "order_not_found");

  private final Jdbi jdbi;
  private final CaseService cases;
  private final Clock clock;
  private final LongConsumer writesPending;
  private final LongConsumer inboxPending;
  private final InboxStore inboxStore = new InboxStore();

  public Retry(
      Jdbi jdbi,
      CaseService cases,
      Clock clock,
      LongConsumer writesPending,
      LongConsumer inboxPending) {
    this.jdbi = jdbi;
    this.cases = cases;
    this.clock = clock;
    this.writesPending = writesPending;
    this.inboxPending = inboxPending;
  }

  /** Empty when the ticket has neither a case nor a set-aside input. */
  public java.util.Optional<Outcome> retry(long ticketId) {
    Instant now = clock.instant();
    Outcome o =
        jdbi.inTransaction(
            h -> {
              // The case's row lock: one retry (or decision) at a time.
              var stage =
                  h.createQuery("select stage from cases where ticket_id = :t for update")
                      .bind("t", ticketId)
                      .mapTo(String.class)
                      .findOne();
              // Set aside (inbox.set_aside_at), they are waiting again and worked once more.
              int inputs = inboxStore.requeueSetAside(h, ticketId);
              if (stage.isEmpty())
                // The first webhook of a ticket that never got a case can be set aside too.
                return inputs == 0 ? null : new Outcome(ticketId, 0, inputs, false);
              boolean stalled =
                  stage.get().equals("watching_tracking")
                      && h.createQuery(
                                  "select count(*) from writes where ticket_id = :t and step = '4'")
                              .bind("t", ticketId)
                              .mapTo(Integer.class)
                              .one()
                          > 0;
              int writes =
                  h.createUpdate(
                          "update writes set gave_up = false where ticket_id = :t and gave_up = true and applied_at is null")
                      .bind("t", ticketId)
                      .execute();
              boolean recheck = RECHECKED.contains(stage.get()) || stalled;
              Outcome out = new Outcome(ticketId, writes, inputs, recheck);
              if (out.any())
                h.createUpdate(
                        "insert into case_history (ticket_id, at, step, text) values (:t, :at, null, :x)")
                    .bind("t", ticketId)
                    .bind("at", now)
                    .bind(
                        "x",
                        "Retry asked from /ops: "
                            + writes
                            + " refused Zendesk update(s) and "
                            + inputs
                            + " set-aside input(s) queued again"
                            + (recheck ? "; the order and tracking are checked again." : "."))
                    .execute();
              return out;
            });
    if (o == null) return java.util.Optional.empty();
    if (o.writes() > 0) writesPending.accept(ticketId);
    if (o.inputs() > 0) inboxPending.accept(ticketId);
    if (o.recheck()) cases.agentAction(ticketId, "recheck", "ops");
    return java.util.Optional.of(o);
  }
}
