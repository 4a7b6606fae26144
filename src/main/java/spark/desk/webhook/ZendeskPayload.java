package spark.desk.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import spark.desk.shared.Json;
import spark.desk.web.ApiException;
import spark.desk.zendesk.Ticket;

/**
 * Reads the two body styles of contract section 4: the trigger body that {@code provision} sets up
 * (every value a string, tags space separated, "" for absent) and Zendesk's event subscriptions
 * ({@code zen:event-type:ticket.*} with a {@code detail} object).
 *
 * @param readOrderField the body lacks the order number field: it is read from the Zendesk API
 */
public record ZendeskPayload(Ticket ticket, boolean readOrderField) {
  private static final ObjectMapper JSON = Json.mapper();

  public static ZendeskPayload parse(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw bad("the body is not JSON");
    }
    if (root == null || !root.isObject()) throw bad("the body is not a JSON object");
    if (root.has("type") && root.path("type").asText().startsWith("zen:event-type:"))
      return eventStyle(root);
    if (root.has("ticket_id")) return triggerStyle(root);
    throw bad("neither a trigger body (ticket_id) nor a Zendesk event (type zen:event-type:...)");
  }

  private static ZendeskPayload triggerStyle(JsonNode r) {
    long id = id(r.path("ticket_id"), "ticket_id");
    Set<String> tags = new LinkedHashSet<>();
    for (String t : str(r, "tags").split("\\s+"))
      if (!t.isBlank()) tags.add(t.toLowerCase(Locale.ROOT));
    Ticket t =
        new Ticket(
            id,
            instant(r, "created_at"),
            instant(r, "updated_at"),
            blankToNull(str(r, "status")),
            tags,
            str(r, "subject"),
            str(r, "description"),
            blankToNull(str(r, "requester_email")),
            blankToNull(str(r, "order_number")));
    return new ZendeskPayload(t, false);
  }

  private static ZendeskPayload eventStyle(JsonNode r) {
    String type = r.path("type").asText();
    if (!type.startsWith("zen:event-type:ticket."))
      throw bad("only ticket events are handled, not " + type);
    JsonNode d = r.path("detail");
    if (!d.isObject()) throw bad("the event has no detail object");
    long id = id(d.path("id"), "detail.id");
    Set<String> tags = new LinkedHashSet<>();
    JsonNode tagNode = d.path("tags");
    if (!tagNode.isMissingNode() && !tagNode.isNull() && !tagNode.isArray())
      throw bad("detail.tags must be an array");
    tagNode.forEach(n -> tags.add(n.asText().toLowerCase(Locale.ROOT)));
    String status = blankToNull(str(d, "status"));
    Ticket t =
        new Ticket(
            id,
            instant(d, "created_at"),
            instant(d, "updated_at"),
            status == null ? null : status.toLowerCase(Locale.ROOT),
            tags,
            str(d, "subject"),
            str(d, "description"),
            null,
            null);
    return new ZendeskPayload(t, true);
  }

  private static long id(JsonNode n, String name) {
    String s = n.isMissingNode() || n.isNull() ? "" : n.asText().trim();
    try {
      long id = Long.parseLong(s);
      if (id <= 0) throw bad(name + " must be a positive number");
      return id;
    } catch (NumberFormatException e) {
      throw bad(
          name
              + " must be a ticket id, got \""
              + (s.length() > 40 ? s.substring(0, 40) : s)
              + "\"");
    }
  }

  private static String str(JsonNode r, String field) {
    JsonNode n = r.path(field);
    if (n.isMissingNode() || n.isNull()) return "";
    if (n.isContainerNode()) throw bad(field + " must be a string");
    return n.asText();
  }

  private static Instant instant(JsonNode r, String field) {
    String s = str(r, field).trim();
    if (s.isEmpty()) return null;
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e2) {
        throw bad(
            field
                + " is not an ISO-8601 time: \""
                + (s.length() > 40 ? s.substring(0, 40) : s)
                + "\"");
      }
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static ApiException bad(String detail) {
    return new ApiException(400, "malformed", detail);
  }
}
