package spark.desk.zendesk;

import java.time.Instant;
import java.util.Set;

/**
 * A ticket's tags as they stood at {@code updatedAt}: enough for a {@code safe_update} that Zendesk
 * takes only if the ticket has not changed since (contract 7, "Economy").
 */
public record KnownTicket(long ticketId, Instant updatedAt, Set<String> tags) {
  public KnownTicket {
    if (updatedAt == null) throw new IllegalArgumentException("updatedAt is required");
    tags = Set.copyOf(tags);
  }

  /** The ticket's stamp, when the snapshot carries one. */
  public static java.util.Optional<KnownTicket> of(Ticket t) {
    if (t.updatedAt() == null) return java.util.Optional.empty();
    return java.util.Optional.of(new KnownTicket(t.id(), t.updatedAt(), t.tags()));
  }
}
