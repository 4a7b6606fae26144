package spark.desk.provision;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.config.Config;
import spark.desk.http.JsonHttp;

class ProvisionTest {
  private static final String EMAIL = "admin@spark.example";
  private static final String TOKEN = "api-token-123";
  private static final String PUBLIC_URL = "https://desk.spark.example";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SHIPPED = "Spark Cancellation (Shipped)";

  private FakeZendesk zendesk;
  private WireMockServer wm;
  private final String database = "jdbc:h2:mem:provision-" + java.util.UUID.randomUUID();

  @BeforeEach
  void startZendesk() {
    zendesk = new FakeZendesk(EMAIL, TOKEN);
    wm = new WireMockServer(options().dynamicPort().extensions(zendesk));
    wm.start();
    wm.stubFor(any(anyUrl()).willReturn(ok()));
  }

  @AfterEach
  void stopZendesk() {
    wm.stop();
  }

  @Test
  void freshAccountGetsTheFourMacrosTheWebhookAndTheTrigger() throws IOException {
    Run run = provision(env(), List.of());

    assertEquals(0, run.exit(), run.err());
    assertEquals(
        Set.of(
            "Spark Cancellation (Not Shipped)",
            SHIPPED,
            "Spark Cancellation (Delivered)",
            "Spark Cancellation (Keep or Return)"),
        zendesk.macros.values().stream()
            .map(m -> m.path("title").asText())
            .collect(Collectors.toSet()));
    assertEquals(1, zendesk.webhooks.size());
    assertEquals(2, zendesk.triggers.size(), "the tagging trigger and the notification trigger");
    assertTrue(run.out().contains("macro \"" + SHIPPED + "\": created"), run.out());
    assertTrue(run.out().contains("webhook \"Cancellation Desk\": created"), run.out());
    assertTrue(
        run.out().contains("trigger \"Cancellation Desk: cancellation tickets\": created"),
        run.out());
  }

  @Test
  void createdMacrosReplyPubliclyAndOnlyTheShippedOneAddsTheRefusalTag() throws IOException {
    provision(env(), List.of());

    List<LoggedRequest> posts = wm.findAll(postRequestedFor(urlPathEqualTo("/api/v2/macros.json")));
    assertEquals(4, posts.size());
    for (LoggedRequest post : posts) {
      assertFalse(post.getBodyAsString().contains("set_tags"), post.getBodyAsString());
      JsonNode macro = JSON.readTree(post.getBodyAsString()).path("macro");
      Map<String, String> actions = actions(macro);
      assertTrue(macro.path("active").asBoolean(), "a new macro is active");
      assertTrue(actions.get("comment_value_html").contains("{{ticket.requester.first_name}}"));
      assertEquals("true", actions.get("comment_mode_is_public"));
      String title = macro.path("title").asText();
      assertEquals(
          title.equals(SHIPPED) ? "cxl_refusal_requested" : null,
          actions.get("current_tags"),
          title);
    }
    assertTrue(actions(zendesk.macroTitled(SHIPPED)).get("comment_value_html").contains("refuse"));
  }

  @Test
  void webhookPointsAtThePublicUrlAndItsSecretIsPrintedOnce() throws IOException {
    Run run = provision(env(), List.of());

    JsonNode webhook =
        JSON.readTree(
                wm.findAll(postRequestedFor(urlPathEqualTo("/api/v2/webhooks")))
                    .get(0)
                    .getBodyAsString())
            .path("webhook");
    assertEquals("Cancellation Desk", webhook.path("name").asText());
    assertEquals(PUBLIC_URL + "/webhooks/zendesk", webhook.path("endpoint").asText());
    assertEquals("POST", webhook.path("http_method").asText());
    assertEquals("json", webhook.path("request_format").asText());
    assertEquals("active", webhook.path("status").asText());
    assertEquals("[\"conditional_ticket_events\"]", webhook.path("subscriptions").toString());
    assertTrue(webhook.path("authentication").isMissingNode());

    String secret = zendesk.secrets.values().iterator().next();
    List<String> secretLines =
        run.out().lines().filter(l -> l.startsWith("ZENDESK_WEBHOOK_SECRET=")).toList();
    assertEquals(List.of("ZENDESK_WEBHOOK_SECRET=" + secret), secretLines);
    assertFalse(run.err().contains(secret));
  }

  @Test
  void triggerFiresOnTheCancellationTagsAndSendsTheContractBodyToTheWebhook() throws IOException {
    provision(env(Map.of("CANCELLATION_TAGS", "cancellation_request,cancel_order")), List.of());

    String sent =
        wm.findAll(postRequestedFor(urlPathEqualTo("/api/v2/triggers.json")))
            .get(1)
            .getBodyAsString();
    JsonNode trigger = JSON.readTree(sent).path("trigger");
    assertEquals("Cancellation Desk: cancellation tickets", trigger.path("title").asText());
    assertTrue(trigger.path("active").asBoolean());
    assertFalse(sent.contains("update_type"), "fires on create and on update");
    assertFalse(trigger.has("position"), "a new trigger goes to the end, not first");
    JsonNode condition = trigger.path("conditions").path("all").get(0);
    assertEquals("current_tags", condition.path("field").asText());
    assertEquals("includes", condition.path("operator").asText());
    assertEquals(
        Set.of("cancellation_request", "cancel_order"),
        Set.of(condition.path("value").asText().split(" ")));

    JsonNode action = trigger.path("actions").get(0);
    assertEquals("notification_webhook", action.path("field").asText());
    assertEquals(zendesk.webhooks.keySet().iterator().next(), action.path("value").get(0).asText());
    String body = action.path("value").get(1).asText();
    assertTrue(body.contains("\"ticket_id\": \"{{ticket.id}}\""), body);
    assertEquals(
        JSON.readTree(
            "{\"ticket_id\": \"{{ticket.id}}\", \"created_at\": \"{{ticket.created_at_with_timestamp}}\","
                + " \"updated_at\": \"{{ticket.updated_at_with_timestamp}}\", \"status\": \"{{ticket.status}}\","
                + " \"tags\": \"{{ticket.tags}}\", \"subject\": \"{{ticket.title}}\","
                + " \"description\": \"{{ticket.description}}\", \"requester_email\": \"{{ticket.requester.email}}\","
                + " \"order_number\": \"{{ticket.ticket_field_360000123}}\"}"),
        JSON.readTree(body));
  }

  @Test
  void withoutAnOrderFieldTheTriggerSendsAnEmptyOrderNumberAndWarns() throws IOException {
    Map<String, String> env = env();
    env.remove("ZENDESK_ORDER_FIELD_ID");
    Run run = provision(env, List.of());

    String body =
        JSON.readTree(
                wm.findAll(postRequestedFor(urlPathEqualTo("/api/v2/triggers.json")))
                    .get(1)
                    .getBodyAsString())
            .path("trigger")
            .path("actions")
            .get(0)
            .path("value")
            .get(1)
            .asText();
    assertEquals("", JSON.readTree(body).path("order_number").asText("missing"));
    assertTrue(run.err().contains("ZENDESK_ORDER_FIELD_ID"), run.err());
  }

  @Test
  void secondRunChangesNothing() {
    assertEquals(0, provision(env(), List.of()).exit());
    wm.resetRequests();

    Run again = provision(env(), List.of());

    assertEquals(0, again.exit(), again.err());
    assertEquals(List.of(), writes());
    // Four macros, the webhook, its secret, two triggers, the app and its installation.
    assertEquals(
        10, again.out().lines().filter(l -> l.endsWith(": unchanged")).count(), again.out());
    assertEquals(
        1, again.out().lines().filter(l -> l.startsWith("ZENDESK_WEBHOOK_SECRET=")).count());
  }

  @Test
  void repairsAMacroWhoseTagActionAnAdminRemovedAndKeepsTheEditedReply() throws IOException {
    provision(env(), List.of());
    JsonNode shipped = zendesk.macroTitled(SHIPPED);
    ((com.fasterxml.jackson.databind.node.ObjectNode) shipped)
        .set(
            "actions",
            JSON.readTree(
                "[{\"field\": \"comment_value_html\", \"value\": \"<p>Edited by an admin</p>\"},"
                    + " {\"field\": \"comment_mode_is_public\", \"value\": \"true\"}]"));
    wm.resetRequests();

    Run run = provision(env(), List.of());

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("macro \"" + SHIPPED + "\": repaired (tag actions)"), run.out());
    List<LoggedRequest> puts =
        wm.findAll(
            putRequestedFor(
                urlPathEqualTo("/api/v2/macros/" + shipped.path("id").asLong() + ".json")));
    assertEquals(1, puts.size());
    assertEquals(1, writes().size(), "only the damaged macro is written");
    JsonNode sent = JSON.readTree(puts.get(0).getBodyAsString()).path("macro");
    assertTrue(sent.path("active").asBoolean(), "the whole macro is sent, so it stays active");
    assertEquals(SHIPPED, sent.path("title").asText());
    assertEquals("<p>Edited by an admin</p>", actions(sent).get("comment_value_html"));
    assertEquals("cxl_refusal_requested", actions(sent).get("current_tags"));
    assertEquals(
        "cxl_refusal_requested", actions(zendesk.macroTitled(SHIPPED)).get("current_tags"));
  }

  @Test
  void replacesSetTagsInAnExistingMacroWithAddedTags() throws IOException {
    long id =
        zendesk.addMacro(
            "{\"title\": \""
                + SHIPPED
                + "\", \"active\": true, \"actions\": ["
                + "{\"field\": \"comment_value\", \"value\": \"Please refuse the parcel.\"},"
                + "{\"field\": \"set_tags\", \"value\": \"shipped_macro\"}]}");

    provision(env(), List.of());

    String sent =
        wm.findAll(putRequestedFor(urlPathEqualTo("/api/v2/macros/" + id + ".json")))
            .get(0)
            .getBodyAsString();
    assertFalse(sent.contains("set_tags"), sent);
    Map<String, String> actions = actions(JSON.readTree(sent).path("macro"));
    assertEquals("cxl_refusal_requested shipped_macro", actions.get("current_tags"));
    assertEquals("Please refuse the parcel.", actions.get("comment_value"));
  }

  @Test
  void leavesObjectsItDidNotNameUntouched() {
    long otherMacro =
        zendesk.addMacro(
            "{\"title\": \""
                + SHIPPED
                + " (old)\", \"active\": true,"
                + " \"actions\": [{\"field\": \"set_tags\", \"value\": \"old\"}]}");
    long otherTrigger =
        zendesk.addTrigger(
            "{\"title\": \"Notify requester\", \"active\": true, \"position\": 1,"
                + " \"conditions\": {\"all\": [{\"field\": \"update_type\", \"operator\": \"is\", \"value\": \"Create\"}], \"any\": []},"
                + " \"actions\": [{\"field\": \"status\", \"value\": \"open\"}]}");
    String otherWebhook =
        zendesk.addWebhook(
            "{\"name\": \"Cancellation Desk (staging)\", \"status\": \"active\","
                + " \"endpoint\": \"https://staging.spark.example/webhooks/zendesk\", \"http_method\": \"POST\","
                + " \"request_format\": \"json\", \"subscriptions\": [\"conditional_ticket_events\"]}");
    String before =
        zendesk.macros.get(otherMacro)
            + ""
            + zendesk.triggers.get(otherTrigger)
            + zendesk.webhooks.get(otherWebhook);

    Run run = provision(env(), List.of());

    assertEquals(0, run.exit(), run.err());
    assertEquals(
        before,
        zendesk.macros.get(otherMacro)
            + ""
            + zendesk.triggers.get(otherTrigger)
            + zendesk.webhooks.get(otherWebhook));
    assertEquals(
        List.of(),
        wm.findAll(putRequestedFor(urlPathEqualTo("/api/v2/macros/" + otherMacro + ".json"))));
    assertEquals(
        List.of(),
        wm.findAll(putRequestedFor(urlPathEqualTo("/api/v2/triggers/" + otherTrigger + ".json"))));
    assertEquals(
        List.of(),
        wm.findAll(patchRequestedFor(urlPathEqualTo("/api/v2/webhooks/" + otherWebhook))));
    assertEquals(2, zendesk.webhooks.size(), "its own webhook is made beside the staging one");
  }

  @Test
  void repairsTheWebhookEndpointAndTheTriggerBodyWhenTheyDrifted() throws IOException {
    provision(env(), List.of());
    String webhookId = zendesk.webhooks.keySet().iterator().next();
    zendesk.webhooks.get(webhookId).put("endpoint", "https://old.spark.example/webhooks/zendesk");
    JsonNode trigger =
        zendesk.triggers.values().stream()
            .filter(t -> t.path("title").asText().equals("Cancellation Desk: cancellation tickets"))
            .findFirst()
            .orElseThrow();
    ((com.fasterxml.jackson.databind.node.ArrayNode) trigger.path("actions").get(0).path("value"))
        .set(1, "{}");
    wm.resetRequests();

    Run run = provision(env(), List.of());

    assertTrue(run.out().contains("webhook \"Cancellation Desk\": repaired (endpoint)"), run.out());
    assertTrue(
        run.out()
            .contains(
                "trigger \"Cancellation Desk: cancellation tickets\": repaired (webhook action)"),
        run.out());
    String patch =
        wm.findAll(patchRequestedFor(urlPathEqualTo("/api/v2/webhooks/" + webhookId)))
            .get(0)
            .getBodyAsString();
    assertEquals(
        JSON.readTree("{\"webhook\": {\"endpoint\": \"" + PUBLIC_URL + "/webhooks/zendesk\"}}"),
        JSON.readTree(patch));
    assertEquals(
        PUBLIC_URL + "/webhooks/zendesk",
        zendesk.webhooks.get(webhookId).path("endpoint").asText());
    assertTrue(
        trigger.path("actions").get(0).path("value").get(1).asText().contains("{{ticket.id}}"));
    assertEquals(2, writes().size());
  }

  @Test
  void dryRunPrintsThePlanAndWritesNothing() {
    Run run = provision(env(), List.of("--dry-run"));

    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of(), writes());
    assertTrue(run.out().contains("macro \"" + SHIPPED + "\": would be created"), run.out());
    assertTrue(run.out().contains("webhook \"Cancellation Desk\": would be created"), run.out());
    assertTrue(
        run.out().contains("trigger \"Cancellation Desk: cancellation tickets\": would be created"),
        run.out());
    assertFalse(run.out().contains("ZENDESK_WEBHOOK_SECRET="), run.out());
    assertTrue(zendesk.macros.isEmpty());
  }

  @Test
  void missingPublicUrlIsBadConfigurationAndCallsNoOne() {
    Map<String, String> env = env();
    env.remove("PUBLIC_URL");

    Run run = provision(env, List.of());

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("PUBLIC_URL"), run.err());
    assertEquals(0, wm.findAll(anyRequestedFor(anyUrl())).size());
  }

  @Test
  void missingZendeskCredentialsAreBadConfiguration() {
    Run run = provision(Map.of("PUBLIC_URL", PUBLIC_URL), List.of());

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("ZENDESK_URL"), run.err());
    assertTrue(run.err().contains("ZENDESK_API_TOKEN"), run.err());
  }

  @Test
  void anUnknownArgumentIsAUsageError() {
    Run run = provision(env(), List.of("--force"));

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("usage:"), run.err());
    assertEquals(0, wm.findAll(anyRequestedFor(anyUrl())).size());
  }

  @Test
  void zendeskRefusingACreateExitsOneAndSaysWhy() {
    zendesk.refuseNext(
        "POST",
        "/api/v2/macros.json",
        422,
        "{\"error\": \"RecordInvalid\", \"description\": \"Record validation errors\","
            + " \"details\": {\"title\": [{\"description\": \"Title: has already been taken\"}]}}");

    Run run = provision(env(), List.of());

    assertEquals(1, run.exit(), run.out());
    assertTrue(
        run.err().contains("creating macro \"Spark Cancellation (Not Shipped)\""), run.err());
    assertTrue(run.err().contains("HTTP 422"), run.err());
    assertTrue(run.err().contains("Title: has already been taken"), run.err());
  }

  @Test
  void wrongApiTokenExitsOneWithZendesksAnswer() {
    Map<String, String> env = env();
    env.put("ZENDESK_API_TOKEN", "wrong");

    Run run = provision(env, List.of());

    assertEquals(1, run.exit());
    assertTrue(
        run.err().contains("HTTP 401") && run.err().contains("Couldn't authenticate you"),
        run.err());
  }

  private List<LoggedRequest> writes() {
    return wm.findAll(anyRequestedFor(anyUrl())).stream()
        .filter(r -> !r.getMethod().getName().equals("GET"))
        .toList();
  }

  /** Each action's value as text (a one-element value list unwrapped); null when absent. */
  private static Map<String, String> actions(JsonNode macro) {
    Map<String, String> actions = new HashMap<>();
    for (JsonNode action : macro.path("actions")) {
      JsonNode value = action.path("value");
      String text =
          value.isArray()
              ? StreamSupport.stream(value.spliterator(), false)
                  .map(JsonNode::asText)
                  .collect(Collectors.joining(" "))
              : value.asText();
      actions.put(action.path("field").asText(), text);
    }
    return actions;
  }

  private Map<String, String> env() {
    return env(Map.of());
  }

  private Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "ZENDESK_URL", wm.baseUrl(),
                "ZENDESK_EMAIL", EMAIL,
                "ZENDESK_API_TOKEN", TOKEN,
                "PUBLIC_URL", PUBLIC_URL,
                "ZENDESK_ORDER_FIELD_ID", "360000123",
                "DATABASE_URL", database));
    env.putAll(extra);
    return env;
  }

  static Run provision(Map<String, String> env, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Provision.run(
            Config.fromEnvironment(env),
            JsonHttp.newClient(),
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            java.time.Duration.ofMillis(5));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  record Run(int exit, String out, String err) {}
}
