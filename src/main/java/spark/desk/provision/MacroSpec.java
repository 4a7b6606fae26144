package spark.desk.provision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import spark.desk.config.Config;

/**
 * One of the four SOP macros: its title, the customer-facing reply it is created with, and the tags
 * it adds. Tags are only ever added ({@code current_tags}); {@code set_tags} would replace the
 * ticket's tags and wipe the cancellation and case tags.
 */
record MacroSpec(String title, String reply, Set<String> tagsToAdd) {

  /** Tags the service reacts to when an agent's macro adds them (contract section 7). */
  static final Set<String> SERVICE_TAGS =
      Set.of("cxl_refusal_requested", "cxl_customer_keeps", "cxl_customer_returns");

  MacroSpec {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(reply, "reply");
    tagsToAdd = Set.copyOf(tagsToAdd);
  }

  static List<MacroSpec> forConfig(Config.Macros titles) {
    return List.of(
        new MacroSpec(titles.notShipped(), Replies.NOT_SHIPPED, Set.of()),
        new MacroSpec(titles.shipped(), Replies.SHIPPED, Set.of("cxl_refusal_requested")),
        new MacroSpec(titles.delivered(), Replies.DELIVERED, Set.of()),
        new MacroSpec(titles.keepOrReturn(), Replies.KEEP_OR_RETURN, Set.of()));
  }

  Macro create() {
    List<Action> actions = new ArrayList<>();
    actions.add(Action.of("comment_value_html", reply));
    actions.add(Action.of("comment_mode_is_public", "true"));
    if (!tagsToAdd.isEmpty()) actions.add(Action.of("current_tags", joined(tagsToAdd)));
    return new Macro(null, title, true, actions);
  }

  /**
   * What to send so that an existing macro does what the service depends on: it adds this macro's
   * service tags and no other macro's, removes none of them, uses no {@code set_tags}, and has a
   * reply. An existing reply is kept word for word (an admin may have edited it), as is every
   * action the service does not depend on.
   */
  Optional<Change<Macro>> repair(Macro existing) {
    Set<String> reasons = new LinkedHashSet<>();
    List<Action> actions = new ArrayList<>();
    Set<String> added = new LinkedHashSet<>();
    for (Action action : existing.actions()) {
      if (action.is("set_tags")) {
        reasons.add("tag actions");
        added.addAll(tags(action));
      } else if (action.is("current_tags")) {
        added.addAll(tags(action));
      } else if (action.is("remove_tags")) {
        Set<String> removed = tags(action);
        if (removed.removeAll(tagsToAdd)) reasons.add("tag actions");
        if (!removed.isEmpty()) actions.add(Action.of("remove_tags", joined(removed)));
      } else {
        actions.add(action);
      }
    }
    Set<String> wanted = new LinkedHashSet<>(added);
    wanted.removeIf(tag -> SERVICE_TAGS.contains(tag) && !tagsToAdd.contains(tag));
    wanted.addAll(tagsToAdd);
    if (!wanted.equals(added)) reasons.add("tag actions");
    if (!wanted.isEmpty()) actions.add(Action.of("current_tags", joined(wanted)));

    if (!hasReply(actions)) {
      reasons.add("reply added");
      actions.add(0, Action.of("comment_value_html", reply));
      actions.removeIf(a -> a.is("comment_mode_is_public"));
      actions.add(1, Action.of("comment_mode_is_public", "true"));
    }
    if (reasons.isEmpty()) return Optional.empty();
    return Optional.of(new Change<>(existing.withActions(actions), List.copyOf(reasons)));
  }

  /**
   * True when the macro's reply would go to the ticket as an internal note, not to the customer.
   */
  static boolean replyIsPrivate(Macro macro) {
    return macro.actions().stream()
        .anyMatch(a -> a.is("comment_mode_is_public") && a.text().equalsIgnoreCase("false"));
  }

  private static boolean hasReply(List<Action> actions) {
    return actions.stream()
        .anyMatch(
            a -> (a.is("comment_value") || a.is("comment_value_html")) && !a.text().isBlank());
  }

  private static Set<String> tags(Action action) {
    return Arrays.stream(action.text().split("\\s+"))
        .filter(t -> !t.isBlank())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static String joined(Set<String> tags) {
    return tags.stream().sorted().collect(Collectors.joining(" "));
  }

  /**
   * The replies a new macro starts with, one per SOP branch. Agents send them as they are or
   * modified; admins may reword them in Zendesk, and provisioning keeps their wording afterwards.
   */
  static final class Replies {
    private Replies() {}

    /** Step 1.1: no tracking number yet; the logistics team is asked to stop the order. */
    static final String NOT_SHIPPED =
        "<p>Hi {{ticket.requester.first_name}},</p>"
            + "<p>Thank you for letting us know. Your order has not left our warehouse yet, so we have"
            + " asked our warehouse team to stop it.</p>"
            + "<p>We will confirm here as soon as the cancellation has gone through, and let you know"
            + " about your refund.</p>"
            + "<p>Thank you for your patience.</p>";

    /** Step 1.2 (and 3.2): the parcel is on its way; the customer refuses it at delivery. */
    static final String SHIPPED =
        "<p>Hi {{ticket.requester.first_name}},</p>"
            + "<p>Thank you for getting in touch. Your order has already been shipped, so we can no"
            + " longer stop it in our warehouse.</p>"
            + "<p>When the carrier delivers your parcel, please refuse it. It will then be returned to"
            + " us, and we will refund you as soon as it is back with us.</p>"
            + "<p>If you have any questions in the meantime, just reply to this message.</p>";

    /** Step 1.3: delivered before the request; no cancellation, a sales return instead. */
    static final String DELIVERED =
        "<p>Hi {{ticket.requester.first_name}},</p>"
            + "<p>Thank you for reaching out. Our records show that your order was delivered before we"
            + " received your cancellation request, so unfortunately it can no longer be"
            + " cancelled.</p>"
            + "<p>You can still return it for a refund through our sales return process: reply to this"
            + " message and we will send you the return instructions. Once the item is back with us,"
            + " we will issue your refund.</p>"
            + "<p>Thank you for your understanding.</p>";

    /** Step 4.2: the parcel was delivered after all; ask whether to keep it or return it. */
    static final String KEEP_OR_RETURN =
        "<p>Hi {{ticket.requester.first_name}},</p>"
            + "<p>We can see that your parcel has now been delivered.</p>"
            + "<p>Would you like to keep your order, or would you still like to return it for a"
            + " refund? Just reply to this message and let us know, and we will take care of the"
            + " rest.</p>";
  }
}
