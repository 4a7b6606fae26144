package spark.desk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import spark.desk.shared.Json;

/**
 * Makes the WireMock Zendesk remember the private notes it was sent, so that reading a ticket's
 * comments shows them as Zendesk would. Stubs opt in with {@code
 * .withTransformers("zendesk-notes")}.
 */
public final class ZendeskNotes implements ResponseDefinitionTransformerV2 {
  public static final String NAME = "zendesk-notes";
  private static final Pattern TICKET = Pattern.compile("/api/v2/tickets/(\\d+)");
  private final Map<Long, List<String>> notes = new ConcurrentHashMap<>();

  @Override
  public ResponseDefinition transform(ServeEvent event) {
    var request = event.getRequest();
    Matcher m = TICKET.matcher(request.getUrl());
    if (!m.find()) return event.getResponseDefinition();
    long ticket = Long.parseLong(m.group(1));
    if (request.getMethod().getName().equals("PUT")
        && event.getResponseDefinition().getStatus() == 200) {
      try {
        JsonNode body = Json.mapper().readTree(request.getBodyAsString());
        String note = body.path("ticket").path("comment").path("body").asText(null);
        if (note != null)
          notes.computeIfAbsent(ticket, t -> new CopyOnWriteArrayList<>()).add(note);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return event.getResponseDefinition();
    }
    if (request.getUrl().contains("/comments")) {
      ObjectNode out = Json.mapper().createObjectNode();
      ArrayNode comments = out.putArray("comments");
      List<String> list = notes.getOrDefault(ticket, List.of());
      for (int i = list.size() - 1; i >= 0; i--)
        comments.addObject().put("body", list.get(i)).put("public", false);
      return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition()
          .withStatus(200)
          .withHeader("Content-Type", "application/json")
          .withBody(out.toString())
          .build();
    }
    return event.getResponseDefinition();
  }

  public List<String> notesOf(long ticketId) {
    return notes.getOrDefault(ticketId, List.of());
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }

  @Override
  public String getName() {
    return NAME;
  }
}
