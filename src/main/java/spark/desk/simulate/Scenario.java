package spark.desk.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import spark.desk.orders.Order;
import spark.desk.shared.Json;

/**
 * A scenario file of {@code simulate FILE} (contract section 9), parsed and checked as a whole
 * before anything runs. Every problem names its place in the file, e.g. {@code events[2].type:
 * unknown event type "foo"}; indexes are those of the file, before events are sorted by time.
 *
 * @param config the scenario's section 2 variables, as strings
 * @param events sorted by time; events at the same moment keep their order in the file
 */
record Scenario(
    Instant start,
    Instant until,
    Map<String, String> config,
    List<Order> orders,
    List<TrackerTimeline> trackers,
    List<ScenarioEvent> events) {

  /** EasyPost's tracker statuses (contract section 6). */
  static final Set<String> TRACKER_STATUSES =
      Set.of(
          "unknown",
          "pre_transit",
          "in_transit",
          "out_for_delivery",
          "delivered",
          "available_for_pickup",
          "return_to_sender",
          "failure",
          "cancelled",
          "error");

  /** A parcel's tracker over time: at any moment it shows the last entry at or before it. */
  record TrackerTimeline(String trackingNumber, String carrier, List<Entry> timeline) {
    record Entry(Instant at, String status, String description) {}
  }

  /** Something that happens outside the service at a moment of the scenario. */
  sealed interface ScenarioEvent {
    /** The event's position in the file's {@code events} array. */
    int index();

    Instant at();

    long ticketId();
  }

  /** A ticket is created in Zendesk. */
  record TicketCreated(
      int index,
      Instant at,
      long ticketId,
      Set<String> tags,
      String subject,
      String description,
      String orderNumber,
      Instant createdAt,
      String requesterEmail)
      implements ScenarioEvent {}

  /** An agent (or a macro) adds or removes tags on a ticket. */
  record TagsChanged(int index, Instant at, long ticketId, Set<String> added, Set<String> removed)
      implements ScenarioEvent {}

  /** The logistics team records its result for the ticket's cancellation request. */
  record LogisticsResultGiven(
      int index, Instant at, long ticketId, boolean successful, String by, String note)
      implements ScenarioEvent {}

  /** The customer answers step 5's question; the agent records it with the matching tag. */
  record CustomerDecision(int index, Instant at, long ticketId, boolean keeps)
      implements ScenarioEvent {}

  static Scenario parse(String text) {
    ObjectMapper json = Json.mapper();
    JsonNode root;
    try {
      root = json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ScenarioException(
          "not JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")"));
    }
    if (root == null || !root.isObject())
      throw new ScenarioException("the scenario must be a JSON object");
    Instant start = instant(root, "start", "start");
    Instant until = instant(root, "until", "until");
    if (!until.isAfter(start)) throw new ScenarioException("until: must be after start");
    Map<String, String> config = config(root.get("config"));
    List<Order> orders = orders(json, root.get("orders"));
    List<TrackerTimeline> trackers = trackers(root.get("trackers"));
    List<ScenarioEvent> events = events(root.get("events"), start, until);
    return new Scenario(start, until, config, orders, trackers, events);
  }

  private static Map<String, String> config(JsonNode node) {
    Map<String, String> config = new LinkedHashMap<>();
    if (node == null || node.isNull()) return config;
    if (!node.isObject())
      throw new ScenarioException("config: must be an object of section 2 variables");
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().isValueNode() || e.getValue().isNull())
        throw new ScenarioException("config." + e.getKey() + ": must be a string");
      config.put(e.getKey(), e.getValue().asText());
    }
    return config;
  }

  private static List<Order> orders(ObjectMapper json, JsonNode node) {
    List<Order> orders = new ArrayList<>();
    Set<String> numbers = new HashSet<>();
    int i = 0;
    for (JsonNode o : array(node, "orders")) {
      String where = "orders[" + i++ + "]";
      if (!o.isObject()) throw new ScenarioException(where + ": must be an object");
      if (!o.path("orderNumber").isTextual() || o.path("orderNumber").asText().isBlank())
        throw new ScenarioException(where + ".orderNumber: required");
      String status = o.path("status").asText(null);
      if (status != null && !Order.STATUSES.contains(status))
        throw new ScenarioException(
            where
                + ".status: unknown order status \""
                + status
                + "\" (one of "
                + String.join(", ", sorted(Order.STATUSES))
                + ")");
      for (String field : List.of("placedAt", "shippedAt", "deliveredAt")) {
        if (o.hasNonNull(field)) instant(o, field, where + "." + field);
      }
      Order order;
      try {
        order = json.treeToValue(o, Order.class);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        throw new ScenarioException(
            where + ": not an order (" + e.getMessage().lines().findFirst().orElse("") + ")");
      }
      if (!numbers.add(order.orderNumber()))
        throw new ScenarioException(
            where + ".orderNumber: " + order.orderNumber() + " is given twice");
      orders.add(order);
    }
    return orders;
  }

  private static List<TrackerTimeline> trackers(JsonNode node) {
    List<TrackerTimeline> trackers = new ArrayList<>();
    Set<String> numbers = new HashSet<>();
    int i = 0;
    for (JsonNode t : array(node, "trackers")) {
      String where = "trackers[" + i++ + "]";
      if (!t.isObject()) throw new ScenarioException(where + ": must be an object");
      String number = t.path("trackingNumber").asText("");
      if (number.isBlank()) throw new ScenarioException(where + ".trackingNumber: required");
      if (!numbers.add(number))
        throw new ScenarioException(where + ".trackingNumber: " + number + " is given twice");
      List<TrackerTimeline.Entry> timeline = new ArrayList<>();
      int j = 0;
      for (JsonNode e : array(t.get("timeline"), where + ".timeline")) {
        String at = where + ".timeline[" + j++ + "]";
        if (!e.isObject()) throw new ScenarioException(at + ": must be an object");
        String status = e.path("status").asText("");
        if (!TRACKER_STATUSES.contains(status))
          throw new ScenarioException(
              at
                  + ".status: unknown tracking status \""
                  + status
                  + "\" (one of "
                  + String.join(", ", sorted(TRACKER_STATUSES))
                  + ")");
        timeline.add(
            new TrackerTimeline.Entry(
                instant(e, "at", at + ".at"), status, e.path("description").asText(null)));
      }
      timeline.sort(Comparator.comparing(TrackerTimeline.Entry::at));
      trackers.add(
          new TrackerTimeline(number, t.path("carrier").asText(null), List.copyOf(timeline)));
    }
    return trackers;
  }

  private static List<ScenarioEvent> events(JsonNode node, Instant start, Instant until) {
    List<ScenarioEvent> events = new ArrayList<>();
    int i = 0;
    for (JsonNode e : array(node, "events")) {
      String where = "events[" + i + "]";
      if (!e.isObject()) throw new ScenarioException(where + ": must be an object");
      Instant at = instant(e, "at", where + ".at");
      if (at.isBefore(start))
        throw new ScenarioException(where + ".at: " + at + " is before start");
      if (at.isAfter(until)) throw new ScenarioException(where + ".at: " + at + " is after until");
      String type = e.path("type").asText("");
      ScenarioEvent event =
          switch (type) {
            case "ticket" -> ticket(i, at, e.get("ticket"), where + ".ticket");
            case "tags_added", "tags_removed" -> {
              Set<String> tags = tags(e.get("tags"), where + ".tags");
              if (tags.isEmpty()) throw new ScenarioException(where + ".tags: at least one tag");
              boolean added = type.equals("tags_added");
              yield new TagsChanged(
                  i, at, ticketId(e, where), added ? tags : Set.of(), added ? Set.of() : tags);
            }
            case "logistics_result" -> {
              String result = e.path("result").asText("");
              if (!result.equals("successful") && !result.equals("unsuccessful"))
                throw new ScenarioException(
                    where
                        + ".result: unknown logistics result \""
                        + result
                        + "\" (successful or unsuccessful)");
              yield new LogisticsResultGiven(
                  i,
                  at,
                  ticketId(e, where),
                  result.equals("successful"),
                  e.path("by").asText("Logistics clerk"),
                  e.path("note").asText(null));
            }
            case "customer_decision" -> {
              String decision = e.path("decision").asText("");
              if (!decision.equals("keep") && !decision.equals("return"))
                throw new ScenarioException(
                    where
                        + ".decision: unknown customer decision \""
                        + decision
                        + "\" (keep or return)");
              yield new CustomerDecision(i, at, ticketId(e, where), decision.equals("keep"));
            }
            case "" -> throw new ScenarioException(where + ".type: required");
            default ->
                throw new ScenarioException(
                    where
                        + ".type: unknown event type \""
                        + type
                        + "\" (one of ticket, tags_added, tags_removed, logistics_result, customer_decision)");
          };
      events.add(event);
      i++;
    }
    // Stable: events at the same moment keep the file's order.
    events.sort(Comparator.comparing(ScenarioEvent::at));
    Set<Long> tickets = new HashSet<>();
    for (ScenarioEvent event : events) {
      String where = "events[" + event.index() + "]";
      if (event instanceof TicketCreated t) {
        if (!tickets.add(t.ticketId()))
          throw new ScenarioException(
              where + ".ticket.id: ticket " + t.ticketId() + " is created twice");
      } else if (!tickets.contains(event.ticketId())) {
        throw new ScenarioException(
            where
                + ".ticketId: unknown ticket "
                + event.ticketId()
                + " (no earlier \"ticket\" event creates it)");
      }
    }
    return List.copyOf(events);
  }

  private static TicketCreated ticket(int index, Instant at, JsonNode t, String where) {
    if (t == null || !t.isObject())
      throw new ScenarioException(
          where + ": required (an object with id, tags, subject, orderNumber)");
    long id = positiveId(t.get("id"), where + ".id");
    Set<String> tags = tags(t.get("tags"), where + ".tags");
    Instant createdAt = at;
    for (String field : List.of("created_at", "createdAt"))
      if (t.hasNonNull(field)) createdAt = instant(t, field, where + "." + field);
    return new TicketCreated(
        index,
        at,
        id,
        tags,
        t.path("subject").asText(""),
        t.path("description").asText(""),
        t.hasNonNull("orderNumber") ? t.get("orderNumber").asText() : null,
        createdAt,
        t.hasNonNull("requesterEmail") ? t.get("requesterEmail").asText() : null);
  }

  private static long ticketId(JsonNode e, String where) {
    if (!e.has("ticketId") || e.get("ticketId").isNull())
      throw new ScenarioException(where + ".ticketId: required");
    return positiveId(e.get("ticketId"), where + ".ticketId");
  }

  private static long positiveId(JsonNode n, String where) {
    if (n == null || n.isNull()) throw new ScenarioException(where + ": required");
    long id;
    if (n.isIntegralNumber()) id = n.asLong();
    else if (n.isTextual() && n.asText().matches("\\d{1,18}")) id = Long.parseLong(n.asText());
    else throw new ScenarioException(where + ": must be a positive whole number");
    if (id <= 0) throw new ScenarioException(where + ": must be a positive whole number");
    return id;
  }

  private static Set<String> tags(JsonNode n, String where) {
    if (n == null || n.isNull()) return Set.of();
    if (!n.isArray()) throw new ScenarioException(where + ": must be an array of tags");
    Set<String> tags = new LinkedHashSet<>();
    for (JsonNode tag : n) {
      if (!tag.isTextual() || tag.asText().isBlank() || tag.asText().contains(" "))
        throw new ScenarioException(where + ": " + tag + " is not a tag");
      tags.add(tag.asText());
    }
    return tags;
  }

  private static Iterable<JsonNode> array(JsonNode n, String where) {
    if (n == null || n.isNull()) return List.of();
    if (!n.isArray()) throw new ScenarioException(where + ": must be an array");
    return n;
  }

  /** An ISO-8601 instant ({@code 2026-11-27T09:00:00Z}) or date-time with an offset. */
  private static Instant instant(JsonNode parent, String field, String where) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) throw new ScenarioException(where + ": required");
    if (!n.isTextual())
      throw new ScenarioException(
          where + ": must be an ISO-8601 time such as 2026-11-27T09:00:00Z");
    try {
      return OffsetDateTime.parse(n.asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw new ScenarioException(
          where
              + ": bad time \""
              + n.asText()
              + "\" (ISO-8601 with an offset, such as 2026-11-27T09:00:00Z)");
    }
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}
