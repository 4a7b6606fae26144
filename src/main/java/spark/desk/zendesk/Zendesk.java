package spark.desk.zendesk;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Zendesk account. Thread-safe. Every call counts against the account's API budget. Throws
 * {@link spark.desk.shared.UpstreamException} when Zendesk cannot answer.
 */
public interface Zendesk {
  /** The ticket as Zendesk has it now, with the order number field's value. */
  Ticket getTicket(long ticketId);

  /**
   * Makes one decision's update: the tags added without dropping any other, one private note, and
   * group or status where given. When {@code mayHaveBeenApplied} (an earlier attempt's outcome is
   * unknown), it first looks for the note on the ticket and does nothing if it is there, so a note
   * is never added twice.
   */
  void apply(long ticketId, TicketUpdate update, boolean mayHaveBeenApplied);

  /** The id of the macro with exactly this title, if there is one. */
  Optional<Long> findMacroId(String title);

  /**
   * The ids of the macros with exactly these titles (a title Zendesk does not have is left out). An
   * adapter that lists every macro at once answers in one listing.
   */
  default Map<String, Long> findMacroIds(Collection<String> titles) {
    Map<String, Long> ids = new HashMap<>();
    for (String title : titles) findMacroId(title).ifPresent(id -> ids.put(title, id));
    return ids;
  }
}
