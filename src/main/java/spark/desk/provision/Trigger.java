package spark.desk.provision;

import java.util.List;
import java.util.Objects;

/**
 * A Zendesk ticket trigger with every field the Java client knows, so that an update sends the
 * whole object back (a sparse update from that client would switch the trigger off and move it).
 * {@code id} is null and {@code position} is null before creation.
 */
record Trigger(
    Long id,
    String title,
    boolean active,
    Integer position,
    String categoryId,
    List<Condition> all,
    List<Condition> any,
    List<Action> actions) {
  Trigger {
    Objects.requireNonNull(title, "title");
    all = List.copyOf(all);
    any = List.copyOf(any);
    actions = List.copyOf(actions);
  }
}
