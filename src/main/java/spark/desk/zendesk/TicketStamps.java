package spark.desk.zendesk;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;

/**
 * The newest {@link KnownTicket} per ticket. Older news never replaces newer (a webhook may arrive
 * after our own update's answer). Thread-safe; each call is its own short statement.
 */
public interface TicketStamps {
  Optional<KnownTicket> latest(long ticketId);

  /** Keeps {@code t} unless a newer state of the ticket is already known. */
  void offer(KnownTicket t);

  /** The known state is stale (our own update changed the ticket and its answer said nothing). */
  void forget(long ticketId);

  /** For one process (tests, shadow runs). */
  static TicketStamps inMemory() {
    Map<Long, KnownTicket> map = new ConcurrentHashMap<>();
    return new TicketStamps() {
      @Override
      public Optional<KnownTicket> latest(long ticketId) {
        return Optional.ofNullable(map.get(ticketId));
      }

      @Override
      public void offer(KnownTicket t) {
        map.merge(
            t.ticketId(), t, (old, neu) -> neu.updatedAt().isBefore(old.updatedAt()) ? old : neu);
      }

      @Override
      public void forget(long ticketId) {
        map.remove(ticketId);
      }
    };
  }

  /**
   * In the {@code ticket_stamps} table, shared by every instance on the database. Give it a pool
   * that a caller holding a connection cannot starve (the Zendesk call runs inside a transaction).
   */
  static TicketStamps database(Jdbi jdbi) {
    return new TicketStamps() {
      @Override
      public Optional<KnownTicket> latest(long ticketId) {
        return jdbi.withHandle(
            h ->
                h.createQuery("select updated_at, tags from ticket_stamps where ticket_id = :id")
                    .bind("id", ticketId)
                    .map(
                        (rs, ctx) ->
                            new KnownTicket(
                                ticketId,
                                rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                                tags(rs.getString("tags"))))
                    .findOne());
      }

      @Override
      public void offer(KnownTicket t) {
        jdbi.useHandle(h -> keep(h, t));
      }

      @Override
      public void forget(long ticketId) {
        jdbi.useHandle(
            h ->
                h.createUpdate("delete from ticket_stamps where ticket_id = :id")
                    .bind("id", ticketId)
                    .execute());
      }
    };
  }

  /**
   * Keeps {@code t} in {@code ticket_stamps} on the caller's handle (inside its transaction, if it
   * has one), unless a newer state of the ticket is already there.
   */
  static void keep(Handle h, KnownTicket t) {
    keep(h, t, false);
  }

  /**
   * {@code likelyNew}: the ticket probably has no stamp yet (intake has never seen it), so the
   * insert is tried first and the update only when a row was there after all: one statement instead
   * of two for a new ticket.
   */
  static void keep(Handle h, KnownTicket t, boolean likelyNew) {
    OffsetDateTime at = t.updatedAt().atOffset(ZoneOffset.UTC);
    String tags = String.join(" ", t.tags());
    if (likelyNew && insert(h, t.ticketId(), at, tags)) return;
    int changed =
        h.createUpdate(
                "update ticket_stamps set updated_at = :at, tags = :tags"
                    + " where ticket_id = :id and updated_at <= :at")
            .bind("id", t.ticketId())
            .bind("at", at)
            .bind("tags", tags)
            .execute();
    if (changed > 0 || likelyNew) return;
    insert(h, t.ticketId(), at, tags);
  }

  /** Inserts the ticket's stamp unless it has one: true when inserted. */
  private static boolean insert(Handle h, long ticketId, OffsetDateTime at, String tags) {
    // Under a savepoint: a failed statement would end a PostgreSQL transaction.
    boolean inTransaction = h.isInTransaction();
    if (inTransaction) h.savepoint("stamp");
    try {
      int inserted =
          h.createUpdate(
                  "insert into ticket_stamps (ticket_id, updated_at, tags)"
                      + " select :id, :at, :tags where not exists"
                      + " (select 1 from ticket_stamps where ticket_id = :id)")
              .bind("id", ticketId)
              .bind("at", at)
              .bind("tags", tags)
              .execute();
      if (inTransaction) h.releaseSavepoint("stamp");
      return inserted > 0;
    } catch (StatementException e) {
      // A concurrent offer inserted the row first (23505, the same on H2 and PostgreSQL): a hint
      // lost in a race costs at most one 409 later.
      if (!(e.getCause() instanceof java.sql.SQLException s) || !"23505".equals(s.getSQLState()))
        throw e;
      if (inTransaction) h.rollbackToSavepoint("stamp");
      return false;
    }
  }

  /**
   * What intake calls inside the transaction that stores a webhook's input: the ticket's stamp,
   * when it has one, kept with it.
   */
  public static void keepSeen(Handle h, Ticket t, boolean seenBefore) {
    KnownTicket.of(t).ifPresent(k -> keep(h, k, !seenBefore));
  }

  private static java.util.Set<String> tags(String joined) {
    return new LinkedHashSet<>(Arrays.stream(joined.split(" ")).filter(s -> !s.isBlank()).toList());
  }
}
