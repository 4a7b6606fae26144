package spark.desk.provision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Our macro and trigger records to and from zendesk-java-client's model, and the Jackson mix-ins
 * that model needs to write what Zendesk's Macros and Triggers APIs accept.
 */
final class ClientModel {
  private ClientModel() {}

  // The client's model has primitive id and position: without these, a new macro would be sent with
  // "id": 0 and a new trigger with "position": 0 (first of all triggers).
  abstract static class MacroWrites {
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
    abstract long getId();
  }

  abstract static class TriggerWrites {
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    abstract int getPosition();
  }

  static Macro fromClient(org.zendesk.client.v2.model.Macro m) {
    return new Macro(m.getId(), m.getTitle(), m.getActive(), fromClient(m.getActions()));
  }

  static org.zendesk.client.v2.model.Macro toClient(Macro macro) {
    org.zendesk.client.v2.model.Macro m = new org.zendesk.client.v2.model.Macro();
    if (macro.id() != null) m.setId(macro.id());
    m.setTitle(macro.title());
    m.setActive(macro.active());
    m.setActions(toClient(macro.actions()));
    return m;
  }

  static Trigger fromClient(org.zendesk.client.v2.model.Trigger t) {
    org.zendesk.client.v2.model.Trigger.Conditions conditions = t.getConditions();
    return new Trigger(
        t.getId(),
        t.getTitle(),
        t.isActive(),
        t.getPosition(),
        t.getCategoryId(),
        conditions == null
            ? List.of()
            : conditions.getAll().stream().map(ClientModel::fromClient).toList(),
        conditions == null
            ? List.of()
            : conditions.getAny().stream().map(ClientModel::fromClient).toList(),
        fromClient(t.getActions()));
  }

  static org.zendesk.client.v2.model.Trigger toClient(Trigger trigger) {
    org.zendesk.client.v2.model.Trigger t = new org.zendesk.client.v2.model.Trigger();
    t.setId(trigger.id());
    t.setTitle(trigger.title());
    t.setActive(trigger.active());
    if (trigger.position() != null) t.setPosition(trigger.position());
    t.setCategoryId(trigger.categoryId());
    org.zendesk.client.v2.model.Trigger.Conditions conditions =
        new org.zendesk.client.v2.model.Trigger.Conditions();
    conditions.setAll(new ArrayList<>(trigger.all().stream().map(ClientModel::toClient).toList()));
    conditions.setAny(new ArrayList<>(trigger.any().stream().map(ClientModel::toClient).toList()));
    t.setConditions(conditions);
    t.setActions(toClient(trigger.actions()));
    return t;
  }

  static Condition fromClient(org.zendesk.client.v2.model.Trigger.Condition c) {
    return new Condition(c.getField(), c.getOperator(), c.getValue());
  }

  static org.zendesk.client.v2.model.Trigger.Condition toClient(Condition c) {
    return new org.zendesk.client.v2.model.Trigger.Condition(c.field(), c.operator(), c.value());
  }

  static List<Action> fromClient(List<org.zendesk.client.v2.model.Action> actions) {
    if (actions == null) return List.of();
    return actions.stream()
        .map(
            a ->
                new Action(
                    a.getField(), a.getValue() == null ? List.of() : Arrays.asList(a.getValue())))
        .toList();
  }

  static List<org.zendesk.client.v2.model.Action> toClient(List<Action> actions) {
    List<org.zendesk.client.v2.model.Action> result = new ArrayList<>();
    for (Action action : actions) {
      org.zendesk.client.v2.model.Action a = new org.zendesk.client.v2.model.Action();
      a.setField(action.field());
      a.setValue(action.value().toArray());
      result.add(a);
    }
    return result;
  }
}
