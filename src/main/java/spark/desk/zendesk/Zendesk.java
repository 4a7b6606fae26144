package spark.desk.zendesk;

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
}
