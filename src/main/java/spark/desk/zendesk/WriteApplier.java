package spark.desk.zendesk;

import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.shared.UpstreamException;
import spark.desk.sop.Write;
import spark.desk.store.CaseStore;
import spark.desk.store.StoredWrite;

/**
 * Sends a ticket's decided writes to Zendesk, oldest first, each at most once: the attempt is
 * counted (and committed) before the call, so a retry after an unknown outcome first checks the
 * ticket for the note. A write Zendesk refuses for good is set aside with its error.
 */
public final class WriteApplier {
  private static final Logger log = LoggerFactory.getLogger(WriteApplier.class);

  private final Jdbi jdbi;
  private final CaseStore cases;
  private final Zendesk zendesk;
  private final Clock clock;

  public WriteApplier(Jdbi jdbi, CaseStore cases, Zendesk zendesk, Clock clock) {
    this.jdbi = jdbi;
    this.cases = cases;
    this.zendesk = zendesk;
    this.clock = clock;
  }

  /**
   * Applies every pending write of the ticket; throws a retryable failure to be tried again later.
   */
  public void flush(long ticketId) {
    // Until none is left: a write decided while this flush runs is not left for the sweep.
    List<StoredWrite> batch;
    while (!(batch = jdbi.withHandle(h -> cases.pendingWrites(h, ticketId))).isEmpty()) {
      flush(ticketId, batch);
    }
  }

  private void flush(long ticketId, List<StoredWrite> batch) {
    for (StoredWrite pending : batch) {
      // The attempt is counted and committed before the call: a retry after a crash mid-call knows
      // the outcome is unknown and first looks for the note on the ticket.
      boolean stillPending =
          jdbi.inTransaction(
              h -> {
                if (cases.lockPendingWrite(h, pending.id()).isEmpty()) return false;
                cases.markAttempt(h, pending.id());
                return true;
              });
      if (!stillPending) continue;
      // The write's row lock is held while Zendesk is called, so two flushes never send it twice.
      UpstreamException failure =
          jdbi.inTransaction(
              h -> {
                StoredWrite w = cases.lockPendingWrite(h, pending.id()).orElse(null);
                if (w == null) return null;
                try {
                  zendesk.apply(ticketId, update(w.write()), w.attempts() > 1);
                } catch (UpstreamException e) {
                  if (e.retryable()) {
                    cases.recordError(h, w.id(), e.getMessage());
                    return e;
                  }
                  log.error(
                      "ticket {}: Zendesk refused the step {} update for good: {}",
                      ticketId,
                      w.write().step(),
                      e.getMessage());
                  cases.giveUp(h, w.id(), e.getMessage());
                  cases.addHistory(
                      h,
                      ticketId,
                      clock.instant(),
                      w.write().step(),
                      "Zendesk refused this update: " + e.getMessage());
                  return null;
                }
                cases.markApplied(h, w.id(), clock.instant());
                log.info("ticket {}: step {} written to Zendesk", ticketId, w.write().step());
                return null;
              });
      if (failure != null) throw failure;
    }
  }

  /** The decided write as Zendesk takes it (the suggested macro stays in the note). */
  private static TicketUpdate update(Write w) {
    return new TicketUpdate(
        w.step(), w.addTags(), w.removeTags(), w.note(), w.groupId(), w.status());
  }
}
