package spark.desk.provision;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The trigger that finds cancellation requests (contract section 8): on a ticket's creation, when
 * its text contains one of the {@code CANCELLATION_KEYWORDS}, it adds the first {@code
 * CANCELLATION_TAGS} tag, which the notification trigger then sends to the service.
 *
 * <p>Conditions as Zendesk's conditions reference has them
 * (developer.zendesk.com/documentation/ticketing/reference-guides/conditions-reference/): {@code
 * update_type} {@code is} {@code Create}; {@code comment_includes_word} with operator {@code is}
 * ("Contains the following string", so a phrase matches as a whole, not word by word as {@code
 * includes} would), one per phrase under {@code any}. On creation the comment is the ticket's
 * description. The action {@code current_tags} adds tags without removing any (actions reference,
 * /reference-guides/actions-reference/; {@code set_tags} would replace them).
 */
record TaggingTriggerSpec(List<String> keywords, String tag) implements TriggerPlan {
  static final String TITLE = "Cancellation Desk: tag cancellation requests";

  TaggingTriggerSpec {
    keywords = List.copyOf(keywords);
    if (keywords.isEmpty()) throw new IllegalArgumentException("no cancellation keywords");
    Objects.requireNonNull(tag, "tag");
  }

  @Override
  public String title() {
    return TITLE;
  }

  @Override
  public Trigger create(String webhookId) {
    return new Trigger(null, TITLE, true, null, null, all(), any(), actions());
  }

  /** Conditions and actions are the service's and replaced whole; position and category stay. */
  @Override
  public Optional<Change<Trigger>> repair(Trigger existing, String webhookId) {
    List<String> reasons = new ArrayList<>();
    if (!existing.all().equals(all()) || !sameConditions(existing.any(), any()))
      reasons.add("conditions");
    if (!actionsMatch(existing)) reasons.add("tag action");
    if (!existing.active()) reasons.add("activated");
    if (reasons.isEmpty()) return Optional.empty();
    return Optional.of(
        new Change<>(
            new Trigger(
                existing.id(),
                TITLE,
                true,
                existing.position(),
                existing.categoryId(),
                all(),
                any(),
                actions()),
            reasons));
  }

  private List<Condition> all() {
    return List.of(new Condition("update_type", "is", "Create"));
  }

  private List<Condition> any() {
    return keywords.stream().map(k -> new Condition("comment_includes_word", "is", k)).toList();
  }

  private List<Action> actions() {
    return List.of(Action.of("current_tags", tag));
  }

  private static boolean sameConditions(List<Condition> a, List<Condition> b) {
    return a.size() == b.size() && a.containsAll(b);
  }

  private boolean actionsMatch(Trigger trigger) {
    return trigger.actions().size() == 1
        && trigger.actions().get(0).is("current_tags")
        && trigger.actions().get(0).text().equals(tag);
  }
}
