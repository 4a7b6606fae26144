package spark.desk.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import spark.desk.sop.Write;

/**
 * The decided Zendesk updates (the outbox): stored with their decision, sent by the runner, each at
 * most once. Every method works inside the caller's handle.
 */
public final class WriteStore {
  private final MilestoneStore milestones = new MilestoneStore();

  public long addWrite(Handle h, long ticketId, Instant at, Write w, boolean shadow) {
    return h.createUpdate(
            "insert into writes (ticket_id, at, step, add_tags, remove_tags, note, macro, group_id, status, shadow, attempts) "
                + "values (:t, :at, :step, :add, :rm, :note, :macro, :g, :status, :shadow, 0)")
        .bind("t", ticketId)
        .bind("at", at)
        .bind("step", w.step())
        .bind("add", String.join(" ", w.addTags()))
        .bind("rm", String.join(" ", w.removeTags()))
        .bind("note", w.note())
        .bind("macro", w.macro())
        .bind("g", w.groupId())
        .bind("status", w.status())
        .bind("shadow", shadow)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  public List<StoredWrite> writes(Handle h, long ticketId) {
    return h.createQuery("select * from writes where ticket_id = :t order by id")
        .bind("t", ticketId)
        .map((rs, ctx) -> storedWrite(rs))
        .list();
  }

  public List<StoredWrite> pendingWrites(Handle h, long ticketId) {
    return h.createQuery(
            "select * from writes where ticket_id = :t and applied_at is null and shadow = false and gave_up = false order by id")
        .bind("t", ticketId)
        .map((rs, ctx) -> storedWrite(rs))
        .list();
  }

  /**
   * Takes the send lease of a write that still waits and is not leased (or whose lease ran out),
   * counting the attempt before the call: the write as it now is, or empty.
   */
  public Optional<StoredWrite> claim(
      Handle h, long writeId, String token, Instant now, Instant until) {
    int taken =
        h.createUpdate(
                "update writes set attempts = attempts + 1, lease_until = :until, lease_token = :token "
                    + "where id = :id "
                    + "and applied_at is null and gave_up = false "
                    + "and (lease_until is null or lease_until <= :now)")
            .bind("id", writeId)
            .bind("now", now)
            .bind("until", until)
            .bind("token", token)
            .execute();
    if (taken == 0) return Optional.empty();
    return h.createQuery("select * from writes where id = :id")
        .bind("id", writeId)
        .map((rs, ctx) -> storedWrite(rs))
        .findOne();
  }

  /**
   * Takes the send lease of a write just stored that nobody has tried yet, if no older write of its
   * ticket still waits (order matters): true when taken, and then this is the write's first attempt
   * (counted). The sender that decided the write knows it already, so this saves the look at the
   * ticket's pending writes and the re-read that {@link #claim} makes; false: send by {@link
   * #pendingWrites} and {@link #claim}.
   */
  public boolean claimFresh(Handle h, long ticketId, long writeId, String token, Instant until) {
    return h.createUpdate(
                "update writes set attempts = 1, lease_until = :until, lease_token = :token "
                    + "where id = :id and attempts = 0 and lease_until is null "
                    + "and applied_at is null and gave_up = false "
                    + "and not exists (select 1 from writes o where o.ticket_id = :t and o.id < :id "
                    + "and o.applied_at is null and o.shadow = false and o.gave_up = false)")
            .bind("id", writeId)
            .bind("t", ticketId)
            .bind("until", until)
            .bind("token", token)
            .execute()
        == 1;
  }

  /**
   * Extends the lease if this sender still holds it (its token, not run out): false when it was
   * lost, for instance while the process was paused, and another sender may have taken over.
   */
  public boolean renew(Handle h, long writeId, String token, Instant now, Instant until) {
    return h.createUpdate(
                "update writes set lease_until = :until where id = :id and lease_token = :token "
                    + "and lease_until > :now and applied_at is null")
            .bind("id", writeId)
            .bind("token", token)
            .bind("now", now)
            .bind("until", until)
            .execute()
        == 1;
  }

  /** Whether the write still waits to be applied. */
  public boolean stillPending(Handle h, long writeId) {
    return h.createQuery(
                "select count(*) from writes where id = :id and applied_at is null and gave_up = false")
            .bind("id", writeId)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  public List<Long> ticketsWithPendingWrites(Handle h, Instant before) {
    return h.createQuery(
            "select distinct ticket_id from writes where applied_at is null and shadow = false and gave_up = false and at < :b")
        .bind("b", before)
        .mapTo(Long.class)
        .list();
  }

  /**
   * Zendesk took the write: marked applied, and, for the case's first step-1 note, its milestone
   * (in the same transaction when the caller holds one).
   */
  public void markApplied(Handle h, StoredWrite w, Instant at) {
    markApplied(h, w.id(), at);
    milestones.noteApplied(h, w.ticketId(), w.write().step(), at);
  }

  public void markApplied(Handle h, long writeId, Instant at) {
    h.createUpdate(
            "update writes set applied_at = :at, last_error = null, lease_until = null where id = :id")
        .bind("id", writeId)
        .bind("at", at)
        .execute();
  }

  /** Zendesk refused the write for good (a 4xx other than 409/429): it is not tried again. */
  public void giveUp(Handle h, long writeId, String error) {
    h.createUpdate(
            "update writes set gave_up = true, last_error = :e, lease_until = null where id = :id")
        .bind("id", writeId)
        .bind("e", error == null ? null : error.substring(0, Math.min(error.length(), 1900)))
        .execute();
  }

  public void recordError(Handle h, long writeId, String error) {
    h.createUpdate("update writes set last_error = :e, lease_until = null where id = :id")
        .bind("id", writeId)
        .bind("e", error.substring(0, Math.min(error.length(), 1900)))
        .execute();
  }

  private static StoredWrite storedWrite(ResultSet rs) throws SQLException {
    Long group = rs.getObject("group_id") == null ? null : rs.getLong("group_id");
    var applied = rs.getObject("applied_at", OffsetDateTime.class);
    Write w =
        new Write(
            rs.getString("step"),
            tags(rs.getString("add_tags")),
            tags(rs.getString("remove_tags")),
            rs.getString("note"),
            rs.getString("macro"),
            group,
            rs.getString("status"));
    return new StoredWrite(
        rs.getLong("id"),
        rs.getLong("ticket_id"),
        rs.getObject("at", OffsetDateTime.class).toInstant(),
        w,
        rs.getBoolean("shadow"),
        applied == null ? null : applied.toInstant(),
        rs.getInt("attempts"));
  }

  private static TreeSet<String> tags(String s) {
    TreeSet<String> t = new TreeSet<>();
    if (s != null && !s.isBlank()) t.addAll(Arrays.asList(s.trim().split("\\s+")));
    return t;
  }
}
