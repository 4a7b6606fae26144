package spark.desk.zendesk;

import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.UpstreamException;
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

  /** Applies every pending write of the ticket; throws a retryable failure to be tried again later. */
  public void flush(long ticketId) {
    for (StoredWrite w : jdbi.withHandle(h -> cases.pendingWrites(h, ticketId))) {
      jdbi.useHandle(h -> cases.markAttempt(h, w.id()));
      try {
        zendesk.apply(ticketId, w.write(), w.attempts() > 0);
      } catch (UpstreamException e) {
        if (e.retryable()) {
          jdbi.useHandle(h -> cases.recordError(h, w.id(), e.getMessage()));
          throw e;
        }
        log.error("ticket {}: Zendesk refused the step {} update for good: {}", ticketId, w.write().step(), e.getMessage());
        jdbi.useTransaction(h -> {
          cases.giveUp(h, w.id(), e.getMessage());
          cases.addHistory(h, ticketId, clock.instant(), w.write().step(), "Zendesk refused this update: " + e.getMessage());
        });
        continue;
      }
      jdbi.useHandle(h -> cases.markApplied(h, w.id(), clock.instant()));
      log.info("ticket {}: step {} written to Zendesk", ticketId, w.write().step());
    }
  }
}
