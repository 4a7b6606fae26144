package spark.desk.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small stateful Zendesk for WireMock: the macros, triggers and webhooks endpoints that
 * provisioning uses, kept in memory across requests (and across runs of provisioning), with API
 * token auth. Updates behave as Zendesk's do: PUT replaces the attributes it is given, PATCH is a
 * JSON merge patch. Each test builds its own instance.
 */
final class FakeZendesk implements ResponseDefinitionTransformerV2 {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ONE = Pattern.compile("/api/v2/(macros|triggers)/(\\d+)\\.json");
  private static final Pattern WEBHOOK =
      Pattern.compile("/api/v2/webhooks/([^/]+)(/signing_secret)?");

  final Map<Long, ObjectNode> macros = new TreeMap<>();
  final Map<Long, ObjectNode> triggers = new TreeMap<>();
  final Map<String, ObjectNode> webhooks = new TreeMap<>();
  final Map<String, String> secrets = new HashMap<>();
  final Map<Long, ObjectNode> apps = new TreeMap<>();
  final Map<Long, String> groups = new TreeMap<>();
  final Map<Long, String> ticketFields = new TreeMap<>();
  private static final Pattern GROUP = Pattern.compile("/api/v2/groups/(\\d+)\\.json");
  private static final Pattern FIELD = Pattern.compile("/api/v2/ticket_fields/(\\d+)\\.json");
  final Map<Long, byte[]> uploads = new TreeMap<>();
  final Map<Long, ObjectNode> installations = new TreeMap<>();

  /** Build jobs: each answers "queued" once, then "completed" (or "failed"), as Zendesk's do. */
  private final Map<String, ObjectNode> jobs = new HashMap<>();

  private static final Pattern APP = Pattern.compile("/api/v2/apps/(\\d+)");
  private static final Pattern JOB = Pattern.compile("/api/v2/apps/job_statuses/([^/]+)");
  private static final Pattern INSTALLATION = Pattern.compile("/api/v2/apps/installations/(\\d+)");
  private final Map<String, ResponseDefinition> refusals = new HashMap<>();
  private final AtomicLong ids = new AtomicLong(360_000_000L);
  private final String authorization;

  FakeZendesk(String email, String apiToken) {
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((email + "/token:" + apiToken).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String getName() {
    return "fake-zendesk";
  }

  @Override
  public boolean applyGlobally() {
    return true;
  }

  /** The next {@code method path} request is answered with this status and body instead. */
  void refuseNext(String method, String path, int status, String body) {
    refusals.put(method + " " + path, json(status, body));
  }

  long addMacro(String macroJson) {
    ObjectNode macro = parse(macroJson);
    long id = ids.incrementAndGet();
    macro.put("id", id);
    macros.put(id, macro);
    return id;
  }

  long addTrigger(String triggerJson) {
    ObjectNode trigger = parse(triggerJson);
    long id = ids.incrementAndGet();
    trigger.put("id", id);
    triggers.put(id, trigger);
    return id;
  }

  String addWebhook(String webhookJson) {
    ObjectNode webhook = parse(webhookJson);
    String id = "01HWEBHOOK" + ids.incrementAndGet();
    webhook.put("id", id);
    webhooks.put(id, webhook);
    secrets.put(id, "secret-" + id);
    return id;
  }

  ObjectNode macroTitled(String title) {
    return macros.values().stream()
        .filter(m -> m.path("title").asText().equals(title))
        .findFirst()
        .orElseThrow();
  }

  @Override
  public synchronized ResponseDefinition transform(ServeEvent event) {
    Request request = event.getRequest();
    if (!authorization.equals(request.getHeader("Authorization")))
      return json(401, "{\"error\": \"Couldn't authenticate you\"}");
    URI uri = URI.create(request.getUrl());
    String method = request.getMethod().getName();
    String path = uri.getRawPath();
    ResponseDefinition refusal = refusals.remove(method + " " + path);
    if (refusal != null) return refusal;

    switch (method + " " + path) {
      case "GET /api/v2/macros.json":
        return list("macros", macros);
      case "POST /api/v2/macros.json":
        return created("macro", macros, body(request).path("macro"));
      case "GET /api/v2/triggers.json":
        return list("triggers", triggers);
      case "POST /api/v2/triggers.json":
        return created("trigger", triggers, body(request).path("trigger"));
      case "GET /api/v2/webhooks":
        return webhookList(query(uri).getOrDefault("filter[name_contains]", ""));
      case "POST /api/v2/webhooks":
        return createdWebhook(body(request).path("webhook"));
      case "GET /api/v2/users/me.json":
        return json(
            200,
            "{\"user\": {\"id\": 1001, \"name\": \"Ada Admin\", \"email\": \"admin@spark.example\","
                + " \"role\": \"admin\"}}");
      case "GET /api/v2/apps/owned":
        return json(200, JSON.createObjectNode().set("apps", array(apps)).toString());
      case "POST /api/v2/apps/uploads":
        return upload(request);
      case "POST /api/v2/apps":
        return build(null, body(request));
      case "GET /api/v2/apps/installations":
        return json(200, installationList());
      case "POST /api/v2/apps/installations":
        return install(body(request));
      default:
        break;
    }
    Matcher group = GROUP.matcher(path);
    if (group.matches() && method.equals("GET")) {
      String name = groups.get(Long.parseLong(group.group(1)));
      if (name == null)
        return json(404, "{\"error\": \"RecordNotFound\", \"description\": \"Not found\"}");
      return json(200, "{\"group\": {\"id\": " + group.group(1) + ", \"name\": \"" + name + "\"}}");
    }
    Matcher field = FIELD.matcher(path);
    if (field.matches() && method.equals("GET")) {
      String title = ticketFields.get(Long.parseLong(field.group(1)));
      if (title == null)
        return json(404, "{\"error\": \"RecordNotFound\", \"description\": \"Not found\"}");
      return json(
          200,
          "{\"ticket_field\": {\"id\": "
              + field.group(1)
              + ", \"title\": \""
              + title
              + "\", \"active\": true}}");
    }
    Matcher app = APP.matcher(path);
    if (app.matches() && method.equals("PUT")) {
      long id = Long.parseLong(app.group(1));
      if (!apps.containsKey(id)) return json(404, "{\"error\": \"RecordNotFound\"}");
      return build(id, body(request));
    }
    Matcher job = JOB.matcher(path);
    if (job.matches() && method.equals("GET")) return jobStatus(job.group(1));
    Matcher installation = INSTALLATION.matcher(path);
    if (installation.matches() && method.equals("PUT")) {
      ObjectNode stored = installations.get(Long.parseLong(installation.group(1)));
      if (stored == null) return json(404, "{\"error\": \"RecordNotFound\"}");
      JsonNode sent = body(request);
      sent.path("settings")
          .fields()
          .forEachRemaining(
              f -> ((ObjectNode) stored.path("settings")).set(f.getKey(), f.getValue()));
      if (sent.has("enabled")) stored.set("enabled", sent.get("enabled"));
      return json(200, stored.toString());
    }
    Matcher one = ONE.matcher(path);
    if (one.matches() && method.equals("PUT")) {
      Map<Long, ObjectNode> store = one.group(1).equals("macros") ? macros : triggers;
      String name = one.group(1).equals("macros") ? "macro" : "trigger";
      ObjectNode stored = store.get(Long.parseLong(one.group(2)));
      if (stored == null) return json(404, "{\"error\": \"RecordNotFound\"}");
      body(request)
          .path(name)
          .fields()
          .forEachRemaining(
              f -> {
                if (!f.getKey().equals("id")) stored.set(f.getKey(), f.getValue());
              });
      return json(200, JSON.createObjectNode().set(name, stored).toString());
    }
    Matcher webhook = WEBHOOK.matcher(path);
    if (webhook.matches()) {
      ObjectNode stored = webhooks.get(webhook.group(1));
      if (stored == null)
        return json(
            404,
            "{\"errors\": [{\"code\": \"WebhookNotFound\", \"title\": \"Webhook not found\"}]}");
      if (webhook.group(2) != null && method.equals("GET")) {
        return json(
            200,
            "{\"signing_secret\": {\"algorithm\": \"SHA256\", \"secret\": \""
                + secrets.get(webhook.group(1))
                + "\"}}");
      }
      if (webhook.group(2) == null && method.equals("PATCH")) {
        mergePatch(stored, body(request).path("webhook"));
        return new ResponseDefinitionBuilder().withStatus(204).build();
      }
    }
    return json(404, "{\"error\": \"InvalidEndpoint\", \"description\": \"Not found\"}");
  }

  /**
   * Upload App Package: a multipart form whose {@code uploaded_data} part is the zip; answers the
   * upload's id.
   */
  private ResponseDefinition upload(Request request) {
    String type = request.getHeader("Content-Type");
    if (type == null || !type.startsWith("multipart/form-data"))
      return json(400, "{\"error\": \"uploaded_data is required\"}");
    byte[] zip =
        request.getParts().stream()
            .filter(p -> "uploaded_data".equals(p.getName()))
            .findFirst()
            .map(p -> p.getBody().asBytes())
            .orElse(null);
    if (zip == null) return json(400, "{\"error\": \"uploaded_data is required\"}");
    long id = ids.incrementAndGet();
    uploads.put(id, zip);
    return json(201, "{\"id\": " + id + "}");
  }

  /** Create App (appId null) or Update App: a build job over an upload. */
  private ResponseDefinition build(Long appId, JsonNode sent) {
    long upload = sent.path("upload_id").asLong();
    if (!uploads.containsKey(upload))
      return json(400, "{\"error\": \"InvalidUpload\", \"description\": \"no such upload\"}");
    String jobId = "job-" + ids.incrementAndGet();
    ObjectNode job = JSON.createObjectNode().put("id", jobId).put("status", "queued");
    long id;
    if (appId == null) {
      id = ids.incrementAndGet();
      ObjectNode app =
          JSON.createObjectNode().put("id", id).put("name", sent.path("name").asText());
      app.put("short_description", sent.path("short_description").asText());
      apps.put(id, app);
    } else id = appId;
    apps.get(id).put("upload_id", upload);
    job.put("app_id", id);
    jobs.put(jobId, job);
    return json(202, "{\"job_id\": \"" + jobId + "\"}");
  }

  private ResponseDefinition jobStatus(String jobId) {
    ObjectNode job = jobs.get(jobId);
    if (job == null) return json(404, "{\"error\": \"RecordNotFound\"}");
    ObjectNode answer = job.deepCopy();
    if (job.path("status").asText().equals("queued")) {
      answer.remove("app_id");
      job.put("status", "completed");
    }
    return json(200, answer.toString());
  }

  private ResponseDefinition install(JsonNode sent) {
    long appId = sent.path("app_id").asLong();
    if (!apps.containsKey(appId)) return json(404, "{\"error\": \"RecordNotFound\"}");
    if (!sent.path("settings").path("name").isTextual())
      return json(400, "{\"error\": \"settings.name is required\"}");
    long id = ids.incrementAndGet();
    ObjectNode installation = JSON.createObjectNode().put("id", id).put("app_id", appId);
    installation.put("enabled", true);
    installation.set("settings", sent.path("settings").deepCopy());
    installations.put(id, installation);
    return json(201, installation.toString());
  }

  /** Secure settings are never shown back, as Zendesk hides them. */
  private String installationList() {
    ArrayNode items = JSON.createArrayNode();
    for (ObjectNode i : installations.values()) {
      ObjectNode shown = i.deepCopy();
      ((ObjectNode) shown.path("settings")).remove("backend_token");
      items.add(shown);
    }
    return JSON.createObjectNode().set("installations", items).toString();
  }

  private static ArrayNode array(Map<Long, ObjectNode> store) {
    ArrayNode items = JSON.createArrayNode();
    store.values().forEach(items::add);
    return items;
  }

  private ResponseDefinition list(String name, Map<Long, ObjectNode> store) {
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode items = answer.putArray(name);
    store.values().forEach(items::add);
    answer.putObject("meta").put("has_more", false);
    answer.putObject("links").putNull("next");
    return json(200, answer.toString());
  }

  private ResponseDefinition created(String name, Map<Long, ObjectNode> store, JsonNode sent) {
    ObjectNode object = sent.deepCopy();
    long id = ids.incrementAndGet();
    object.put("id", id);
    if (!object.has("active")) object.put("active", true);
    if (name.equals("trigger") && !object.has("position")) object.put("position", store.size() + 1);
    store.put(id, object);
    return json(201, JSON.createObjectNode().set(name, object).toString());
  }

  private ResponseDefinition webhookList(String nameContains) {
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode items = answer.putArray("webhooks");
    webhooks.values().stream()
        .filter(w -> w.path("name").asText().contains(nameContains))
        .forEach(items::add);
    answer.putObject("meta").put("has_more", false);
    answer.putObject("links").putNull("next");
    return json(200, answer.toString());
  }

  private ResponseDefinition createdWebhook(JsonNode sent) {
    String id = addWebhook(sent.toString());
    ObjectNode webhook = webhooks.get(id);
    webhook.put("created_by", "-1");
    return json(201, JSON.createObjectNode().set("webhook", webhook).toString());
  }

  private static void mergePatch(ObjectNode target, JsonNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getValue().isNull()) target.remove(f.getKey());
      else target.set(f.getKey(), f.getValue());
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> params = new HashMap<>();
    if (uri.getRawQuery() == null) return params;
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      params.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
    }
    return params;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static JsonNode body(Request request) {
    return parse(request.getBodyAsString());
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ResponseDefinition json(int status, String body) {
    return new ResponseDefinitionBuilder()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withBody(body)
        .build();
  }
}
