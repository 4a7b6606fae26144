package spark.desk.provision;

import java.util.List;
import java.util.Objects;

/**
 * A Zendesk macro as far as provisioning reads and writes it; {@code id} is null before creation.
 */
record Macro(Long id, String title, boolean active, List<Action> actions) {
  Macro {
    Objects.requireNonNull(title, "title");
    actions = List.copyOf(actions);
  }

  Macro withActions(List<Action> newActions) {
    return new Macro(id, title, active, newActions);
  }
}
