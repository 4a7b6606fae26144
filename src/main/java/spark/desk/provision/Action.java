package spark.desk.provision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One action of a Zendesk macro or trigger: a field and its value list, as Zendesk sends them
 * (single values arrive as a one-element list). Values may be strings, numbers, booleans or null.
 */
record Action(String field, List<Object> value) {
  Action {
    Objects.requireNonNull(field, "field");
    value = Collections.unmodifiableList(new ArrayList<>(value == null ? List.of() : value));
  }

  static Action of(String field, Object... value) {
    return new Action(field, Arrays.asList(value));
  }

  /** The values as text, joined by a space: how Zendesk reads a tag list. */
  String text() {
    return value.stream()
        .map(v -> v == null ? "" : String.valueOf(v))
        .collect(Collectors.joining(" "))
        .trim();
  }

  boolean is(String name) {
    return field.equals(name);
  }
}
