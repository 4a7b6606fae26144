package spark.desk.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The inbox (every accepted input, stored before its reply) and the webhook deliveries already
 * taken. Every method works inside the caller's handle.
 */
public final class InboxStore {
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
   * Takes these inputs for the caller's transaction: marks the ones still waiting worked at {@code
   * at}, which also locks them until it ends; how many it took. A worker that takes fewer than it
   * read knows another one worked them meanwhile, and rolls back. A second worker's take waits for
   * the first's transaction, then finds the inputs worked (both H2 and PostgreSQL check the
   * condition again on the row they waited for). One cached statement: H2 parses a {@code select
   * ... for update} anew each time, and the marks would cost one more statement per input.
   */
  public int take(Handle h, List<Long> ids, Instant at) {
    return h.createUpdate(
            "update inbox set processed_at = :at where id in (<ids>) and processed_at is null")
        .bindList("ids", ids)
        .bind("at", at)
        .execute();
  }

  /** Puts inputs taken by this transaction back, waiting (a round that stopped early). */
  public void putBack(Handle h, List<Long> ids) {
    if (ids.isEmpty()) return;
    h.createUpdate("update inbox set processed_at = null where id in (<ids>)")
        .bindList("ids", ids)
        .execute();
  }

  /**
   * Sets an input aside that can never be worked as it stands (a bug, bad stored data): it counts
   * as worked, and stays listed for ops with its reason until {@link #requeueSetAside} puts it
   * back.
   */
  public void setAside(Handle h, long inboxId, Instant at, String reason) {
    h.createUpdate(
            "update inbox set processed_at = :at, set_aside_at = :at, set_aside_reason = :r "
                + "where id = :id")
        .bind("id", inboxId)
        .bind("at", at)
        .bind("r", reason)
        .execute();
  }

  /**
   * Puts the ticket's set-aside inputs back in the inbox, waiting as they arrived; how many. A
   * concurrent second call finds them waiting already and re-queues nothing.
   */
  public int requeueSetAside(Handle h, long ticketId) {
    return h.createUpdate(
            "update inbox set processed_at = null, set_aside_at = null, set_aside_reason = null "
                + "where ticket_id = :t and set_aside_at is not null")
        .bind("t", ticketId)
        .execute();
  }

  /** Whether the input has been worked (or set aside). */
  public boolean processed(Handle h, long inboxId) {
    return h.createQuery("select count(*) from inbox where id = :id and processed_at is not null")
            .bind("id", inboxId)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  /** Whether the ticket has a case or ever had an input accepted (one statement per webhook). */
  public boolean caseOrInbox(Handle h, long ticketId) {
    return h.createQuery(
                "select (select count(*) from cases where ticket_id = :t)"
                    + " + (select count(*) from (select 1 from inbox where ticket_id = :t"
                    + " fetch first 1 rows only) i)")
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
}
