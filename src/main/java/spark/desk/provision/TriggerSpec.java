package spark.desk.provision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The trigger that sends a cancellation ticket to the service whenever it is created or updated:
 * one {@code current_tags includes} condition on the cancellation tags (Zendesk reads the list as
 * "any of these"), no {@code update_type} condition, and one webhook action with the contract's
 * section 4a body.
 */
record TriggerSpec(Set<String> cancellationTags, String body) implements TriggerPlan {
  static final String TITLE = "Cancellation Desk: cancellation tickets";
  private static final ObjectMapper JSON = new ObjectMapper();

  TriggerSpec {
    cancellationTags = Collections.unmodifiableSortedSet(new TreeSet<>(cancellationTags));
    if (cancellationTags.isEmpty()) throw new IllegalArgumentException("no cancellation tags");
    Objects.requireNonNull(body, "body");
  }

  static TriggerSpec forConfig(Set<String> cancellationTags, Optional<Long> orderFieldId) {
    return new TriggerSpec(cancellationTags, body(orderFieldId));
  }

  /**
   * Contract section 4a, placeholder for placeholder. Without an order field the order number is
   * sent empty and the service reads it from the subject or description.
   */
  static String body(Optional<Long> orderFieldId) {
    String orderNumber = orderFieldId.map(id -> "{{ticket.ticket_field_" + id + "}}").orElse("");
    return "{\"ticket_id\": \"{{ticket.id}}\",\n"
        + " \"created_at\": \"{{ticket.created_at_with_timestamp}}\",\n"
        + " \"updated_at\": \"{{ticket.updated_at_with_timestamp}}\",\n"
        + " \"status\": \"{{ticket.status}}\",\n"
        + " \"tags\": \"{{ticket.tags}}\",\n"
        + " \"subject\": \"{{ticket.title}}\",\n"
        + " \"description\": \"{{ticket.description}}\",\n"
        + " \"requester_email\": \"{{ticket.requester.email}}\",\n"
        + " \"order_number\": \""
        + orderNumber
        + "\"}";
  }

  @Override
  public String title() {
    return TITLE;
  }

  @Override
  public Trigger create(String webhookId) {
    return new Trigger(
        null, TITLE, true, null, null, List.of(condition()), List.of(), actions(webhookId));
  }

  /**
   * What to send so the trigger fires on the cancellation tags and calls the webhook with the
   * section 4a body. Its conditions and actions are the service's, so they are replaced whole;
   * title, position and category stay as they are.
   */
  @Override
  public Optional<Change<Trigger>> repair(Trigger existing, String webhookId) {
    List<String> reasons = new ArrayList<>();
    if (!conditionsMatch(existing)) reasons.add("conditions");
    if (!actionsMatch(existing, webhookId)) reasons.add("webhook action");
    if (!existing.active()) reasons.add("activated");
    if (reasons.isEmpty()) return Optional.empty();
    Trigger repaired =
        new Trigger(
            existing.id(),
            existing.title(),
            true,
            existing.position(),
            existing.categoryId(),
            List.of(condition()),
            List.of(),
            actions(webhookId));
    return Optional.of(new Change<>(repaired, reasons));
  }

  private Condition condition() {
    return new Condition("current_tags", "includes", String.join(" ", cancellationTags));
  }

  private List<Action> actions(String webhookId) {
    return List.of(Action.of("notification_webhook", webhookId, body));
  }

  private boolean conditionsMatch(Trigger trigger) {
    if (!trigger.any().isEmpty() || trigger.all().size() != 1) return false;
    Condition c = trigger.all().get(0);
    return c.field().equals("current_tags")
        && c.operator().equals("includes")
        && c.value() != null
        && tags(c.value()).equals(cancellationTags);
  }

  private boolean actionsMatch(Trigger trigger, String webhookId) {
    if (trigger.actions().size() != 1) return false;
    Action action = trigger.actions().get(0);
    return action.is("notification_webhook")
        && action.value().size() == 2
        && webhookId.equals(String.valueOf(action.value().get(0)))
        && sameJson(String.valueOf(action.value().get(1)), body);
  }

  /** Zendesk may store the body re-indented; what matters is the JSON it sends. */
  private static boolean sameJson(String a, String b) {
    try {
      return JSON.readTree(a).equals(JSON.readTree(b));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static Set<String> tags(String value) {
    return Arrays.stream(value.split("\\s+"))
        .filter(t -> !t.isBlank())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
