package spark.desk.zendesk;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One update of a ticket: tags added and removed (others kept), one private note, and the group or
 * status where given (null: unchanged). {@code step} names the SOP step in logs.
 */
public record TicketUpdate(
    String step,
    SortedSet<String> addTags,
    SortedSet<String> removeTags,
    String note,
    Long groupId,
    String status) {

  public TicketUpdate {
    if (note == null || note.isBlank()) throw new IllegalArgumentException("note is required");
    addTags = Collections.unmodifiableSortedSet(new TreeSet<>(addTags));
    removeTags = Collections.unmodifiableSortedSet(new TreeSet<>(removeTags));
  }
}
