package spark.desk.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Zendesk error body into one readable line. Zendesk answers in two styles: the Support API
 * ({@code {"error": "RecordInvalid", "description": ..., "details": {"title": [{"description":
 * ...}]}}}) and the newer APIs such as webhooks ({@code {"errors": [{"code", "title",
 * "detail"}]}}).
 */
final class ZendeskErrors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RAW = 300;

  private ZendeskErrors() {}

  static String describe(String body) {
    if (body == null || body.isBlank()) return "";
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return raw(body);
    }
    List<String> parts = new ArrayList<>();
    JsonNode error = root.path("error");
    if (error.isTextual()) parts.add(error.asText());
    addText(parts, error.path("title"));
    addText(parts, error.path("message"));
    addText(parts, root.path("description"));
    root.path("details").forEach(list -> list.forEach(d -> addText(parts, d.path("description"))));
    for (JsonNode e : root.path("errors")) {
      addText(parts, e.path("title"));
      addText(parts, e.path("detail"));
    }
    return parts.isEmpty() ? raw(body) : String.join("; ", parts);
  }

  private static void addText(List<String> parts, JsonNode node) {
    if (node.isTextual() && !node.asText().isBlank() && !parts.contains(node.asText()))
      parts.add(node.asText());
  }

  private static String raw(String body) {
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_RAW ? oneLine : oneLine.substring(0, MAX_RAW) + "...";
  }
}
