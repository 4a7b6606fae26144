package spark.desk.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.shared.UpstreamException;
import spark.desk.sop.Write;
import spark.desk.store.CaseStore;
import spark.desk.store.StoredWrite;
import spark.desk.store.WriteStore;
import spark.desk.zendesk.TicketUpdate;
import spark.desk.zendesk.Zendesk;

/**
 * Sends a ticket's decided writes (the outbox) to Zendesk, oldest first, each at most once. A send
 * holds a short lease on its write, not a row lock: the attempt is counted and the lease taken in
 * one committed update before the call, so no transaction is open while Zendesk answers; a retry
 * after an unknown outcome (a crash, a pause past the lease) first checks the ticket for the note.
 * A write Zendesk refuses for good is set aside with its error.
 */
public final class WriteApplier {
  private static final Logger log = LoggerFactory.getLogger(WriteApplier.class);

  /**
   * A send's lease, renewed every {@link #RENEW_EVERY} while the call runs: it runs out only on a
   * sender that died or froze, and then another sender takes over (first looking for the note).
   * Leases are in real time (not the service clock, which tests and {@code simulate} move).
   */
  static final Duration LEASE = Duration.ofSeconds(20);

  static final Duration RENEW_EVERY = Duration.ofSeconds(5);

  private final Clock leaseClock = Clock.systemUTC();
  private final java.util.Map<Long, String> sending =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Jdbi jdbi;
  private final CaseStore cases;
  private final WriteStore writes;
  private final Zendesk zendesk;
  private final Clock clock;

  public WriteApplier(Jdbi jdbi, CaseStore cases, WriteStore writes, Zendesk zendesk, Clock clock) {
    this.jdbi = jdbi;
    this.cases = cases;
    this.writes = writes;
    this.zendesk = zendesk;
    this.clock = clock;
  }

  /**
   * Applies every pending write of the ticket; throws a retryable failure to be tried again later
   * (also while another sender holds the lease of the ticket's oldest write: order matters).
   */
  public void flush(long ticketId) {
    // Until none is left: a write decided while this flush runs is not left for the sweep.
    List<StoredWrite> batch;
    while (!(batch = jdbi.withHandle(h -> writes.pendingWrites(h, ticketId))).isEmpty()) {
      for (StoredWrite pending : batch) send(ticketId, pending);
    }
  }

  /**
   * Applies the writes this thread just decided and stored ({@code decided}, oldest first): each is
   * claimed as it was stored (no look at the ticket's pending writes, no re-read), unless an older
   * write of the ticket still waits or another sender got there first; then the ticket's pending
   * writes are sent oldest first, once (a write decided meanwhile by another thread or instance has
   * a sender of its own, the writes task its decision queued, so the look for more that {@link
   * #flush} makes would cost a statement for nothing here).
   */
  public void sendDecided(long ticketId, List<StoredWrite> decided) {
    for (StoredWrite w : decided) {
      String token = java.util.UUID.randomUUID().toString();
      Instant now = leaseClock.instant();
      if (!jdbi.withHandle(h -> writes.claimFresh(h, ticketId, w.id(), token, now.plus(LEASE)))) {
        for (StoredWrite pending : jdbi.withHandle(h -> writes.pendingWrites(h, ticketId)))
          send(ticketId, pending);
        return;
      }
      sendClaimed(ticketId, withAttempts(w, 1), token, now);
    }
  }

  private static StoredWrite withAttempts(StoredWrite w, int attempts) {
    return new StoredWrite(
        w.id(), w.ticketId(), w.at(), w.write(), w.shadow(), w.appliedAt(), attempts);
  }

  /** Renews the leases of the sends in progress (the runner calls this every few seconds). */
  public void renewLeases() {
    try {
      sending.forEach(
          (id, token) -> {
            Instant now = leaseClock.instant();
            jdbi.useHandle(h -> writes.renew(h, id, token, now, now.plus(LEASE)));
          });
    } catch (RuntimeException e) {
      log.warn("send leases not renewed: {}", e.toString());
    }
  }

  private void send(long ticketId, StoredWrite pending) {
    String token = java.util.UUID.randomUUID().toString();
    Instant now = leaseClock.instant();
    StoredWrite w =
        jdbi.withHandle(h -> writes.claim(h, pending.id(), token, now, now.plus(LEASE)))
            .orElse(null);
    if (w == null) {
      if (!jdbi.withHandle(h -> writes.stillPending(h, pending.id()))) return;
      throw new UpstreamException(
          "zendesk", 0, true, "ticket " + ticketId + ": another sender holds the update", null);
    }
    sendClaimed(ticketId, w, token, now);
  }

  /** Sends a write whose lease this sender holds (claimed at {@code claimed}). */
  private void sendClaimed(long ticketId, StoredWrite w, String token, Instant claimed) {
    sending.put(w.id(), token);
    try {
      send(ticketId, w, token, claimed);
    } finally {
      sending.remove(w.id());
    }
  }

  private void send(long ticketId, StoredWrite w, String token, Instant claimed) {
    // Fencing: a sender frozen past its lease (GC, SIGSTOP) must not send after another took over.
    // A lease claimed moments ago is still this sender's (no one takes it before it runs out):
    // renewed only when half of it has gone by since the claim.
    Instant before = leaseClock.instant();
    boolean fresh = before.isBefore(claimed.plus(LEASE.dividedBy(2))) && !before.isBefore(claimed);
    if (!fresh && !jdbi.withHandle(h -> writes.renew(h, w.id(), token, before, before.plus(LEASE))))
      throw new UpstreamException(
          "zendesk", 0, true, "ticket " + ticketId + ": the update's lease ran out", null);
    try {
      zendesk.apply(ticketId, update(w.write()), w.attempts() > 1);
    } catch (UpstreamException e) {
      if (e.retryable()) {
        jdbi.useHandle(h -> writes.recordError(h, w.id(), e.getMessage()));
        throw e;
      }
      log.error(
          "ticket {}: Zendesk refused the step {} update for good: {}",
          ticketId,
          w.write().step(),
          e.getMessage());
      jdbi.useTransaction(
          h -> {
            writes.giveUp(h, w.id(), e.getMessage());
            cases.addHistory(
                h,
                ticketId,
                clock.instant(),
                w.write().step(),
                "Zendesk refused this update: " + e.getMessage());
          });
      return;
    }
    jdbi.useTransaction(h -> writes.markApplied(h, w, clock.instant()));
    log.info("ticket {}: step {} written to Zendesk", ticketId, w.write().step());
  }

  /** The decided write as Zendesk takes it (the suggested macro stays in the note). */
  private static TicketUpdate update(Write w) {
    return new TicketUpdate(
        w.step(), w.addTags(), w.removeTags(), w.note(), w.groupId(), w.status());
  }
}
