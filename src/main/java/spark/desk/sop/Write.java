package spark.desk.sop;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One decision as it goes to Zendesk: one ticket update with one private note (contract section 7).
 * {@code macro} is the title of the macro the note suggests, {@code groupId} and {@code status} are
 * set only where the step asks.
 */
public record Write(
    String step,
    SortedSet<String> addTags,
    SortedSet<String> removeTags,
    String note,
    String macro,
    Long groupId,
    String status) {

  public Write {
    if (step == null || step.isBlank()) throw new IllegalArgumentException("step is required");
    if (note == null || !note.startsWith("Step " + step))
      throw new IllegalArgumentException("a note starts with its step");
    addTags = Collections.unmodifiableSortedSet(new TreeSet<>(addTags));
    removeTags = Collections.unmodifiableSortedSet(new TreeSet<>(removeTags));
  }
}
