package spark.desk.sop;

import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

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

  /**
   * A write being put together by a step of the engine: the tags it adds, the problem tags it
   * resolves (of those the ticket carries), then {@link #send} with the note's text.
   */
  static final class Draft {
    private final String step;
    private final Set<String> problems;
    private final Consumer<Write> sink;
    private final SortedSet<String> add = new TreeSet<>();
    private final SortedSet<String> remove = new TreeSet<>();
    private String macro;
    private Long groupId;
    private String status;

    Draft(String step, Set<String> problems, Consumer<Write> sink) {
      this.step = step;
      this.problems = Set.copyOf(problems);
      this.sink = sink;
    }

    Draft adds(String... tags) {
      add.addAll(Arrays.asList(tags));
      return this;
    }

    /** Removes those of {@code tags} that this service has put on the ticket. */
    Draft resolves(String... tags) {
      for (String t : tags) if (problems.contains(t)) remove.add(t);
      return this;
    }

    /** Removes every problem tag this service has put on the ticket. */
    Draft resolvesAllProblems() {
      remove.addAll(problems);
      return this;
    }

    Draft macro(String title) {
      macro = title;
      return this;
    }

    Draft group(Long id) {
      groupId = id;
      return this;
    }

    Draft status(String s) {
      status = s;
      return this;
    }

    void send(Notes.Text text) {
      SortedSet<String> removed = new TreeSet<>(remove);
      removed.removeAll(add);
      sink.accept(new Write(step, add, removed, text.render(step), macro, groupId, status));
    }
  }
}
