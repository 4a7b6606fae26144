package spark.desk.provision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.zendesk.client.v2.Zendesk;
import org.zendesk.client.v2.ZendeskException;
import org.zendesk.client.v2.ZendeskResponseException;
import spark.desk.guard.SameOrigin;
import spark.desk.shared.Json;

/**
 * {@link ZendeskAdmin} over Zendesk's REST API with API-token auth ({@code email/token:TOKEN}):
 * macros and triggers through zendesk-java-client, webhooks through OkHttp (the Java client has no
 * webhooks API). Nothing here logs a request or response body, so the signing secret stays out of
 * the log.
 */
final class HttpZendeskAdmin implements ZendeskAdmin {
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final MediaType MERGE_PATCH =
      MediaType.get("application/merge-patch+json; charset=utf-8");
  private static final int MAX_PAGES = 50;

  private final Zendesk client;
  private final OkHttpClient http;
  private final HttpUrl api;
  private final String authorization;
  private final ObjectMapper json = Json.mapper();

  private HttpZendeskAdmin(Zendesk client, OkHttpClient http, HttpUrl api, String authorization) {
    this.client = client;
    this.http = http;
    this.api = api;
    this.authorization = authorization;
  }

  /** {@code http}: the process's one OkHttp client, which closing this leaves open. */
  static HttpZendeskAdmin connect(
      OkHttpClient http, URI zendeskUrl, String email, String apiToken) {
    String url = zendeskUrl.toString().replaceAll("/+$", "");
    Zendesk client =
        new Zendesk.Builder(url)
            .setUsername(email)
            .setToken(apiToken)
            .customizeObjectMapper(
                m ->
                    m.addMixIn(org.zendesk.client.v2.model.Macro.class, MacroWrites.class)
                        .addMixIn(org.zendesk.client.v2.model.Trigger.class, TriggerWrites.class))
            .build();
    HttpUrl api = HttpUrl.get(url + "/api/v2/");
    return new HttpZendeskAdmin(client, http, api, Credentials.basic(email + "/token", apiToken));
  }

  // The client's model has primitive id and position: without these, a new macro would be sent with
  // "id": 0 and a new trigger with "position": 0 (first of all triggers).
  private abstract static class MacroWrites {
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
    abstract long getId();
  }

  private abstract static class TriggerWrites {
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    abstract int getPosition();
  }

  @Override
  public List<Macro> macros() {
    return call(
        "listing macros",
        () -> stream(client.getMacros()).map(HttpZendeskAdmin::fromClient).toList());
  }

  @Override
  public Macro createMacro(Macro macro) {
    return call(
        "creating macro \"" + macro.title() + "\"",
        () -> fromClient(client.createMacro(toClient(macro))));
  }

  @Override
  public Macro updateMacro(Macro macro) {
    return call(
        "updating macro \"" + macro.title() + "\"",
        () -> fromClient(client.updateMacro(macro.id(), toClient(macro))));
  }

  @Override
  public List<Trigger> triggers() {
    return call(
        "listing triggers",
        () -> stream(client.getTriggers()).map(HttpZendeskAdmin::fromClient).toList());
  }

  @Override
  public Trigger createTrigger(Trigger trigger) {
    return call(
        "creating trigger \"" + trigger.title() + "\"",
        () -> fromClient(client.createTrigger(toClient(trigger))));
  }

  @Override
  public Trigger updateTrigger(Trigger trigger) {
    return call(
        "updating trigger \"" + trigger.title() + "\"",
        () -> fromClient(client.updateTrigger(trigger.id(), toClient(trigger))));
  }

  @Override
  public List<Webhook> findWebhooks(String name) {
    String attempted = "listing webhooks";
    List<Webhook> found = new ArrayList<>();
    HttpUrl page =
        api.newBuilder()
            .addPathSegment("webhooks")
            .addQueryParameter("filter[name_contains]", name)
            .build();
    for (int i = 0; page != null && i < MAX_PAGES; i++) {
      JsonNode body = send(attempted, new Request.Builder().url(page).get());
      for (JsonNode w : body.path("webhooks")) found.add(read(attempted, w, Webhook.class));
      page = body.path("meta").path("has_more").asBoolean(false) ? nextPage(body) : null;
    }
    return found;
  }

  @Override
  public Webhook createWebhook(Webhook webhook) {
    String attempted = "creating webhook \"" + webhook.name() + "\"";
    RequestBody body = RequestBody.create(write(Map.of("webhook", webhook)), JSON_TYPE);
    JsonNode created = send(attempted, new Request.Builder().url(webhooks(List.of())).post(body));
    return read(attempted, created.path("webhook"), Webhook.class);
  }

  @Override
  public void patchWebhook(String id, Map<String, Object> changes) {
    RequestBody body = RequestBody.create(write(Map.of("webhook", changes)), MERGE_PATCH);
    send("updating webhook " + id, new Request.Builder().url(webhooks(List.of(id))).patch(body));
  }

  @Override
  public String signingSecret(String webhookId) {
    String attempted = "reading the signing secret of webhook " + webhookId;
    JsonNode secret =
        send(
                attempted,
                new Request.Builder().url(webhooks(List.of(webhookId, "signing_secret"))).get())
            .path("signing_secret")
            .path("secret");
    if (!secret.isTextual() || secret.asText().isBlank())
      throw ZendeskFailures.unreadable(attempted, "no signing_secret.secret");
    return secret.asText();
  }

  // Apps API: developer.zendesk.com/api-reference/ticketing/apps/apps/ and the guide "Creating and
  // managing private apps with the Zendesk API" (upload, create or update, poll the job, install).

  @Override
  public List<ZendeskApp.App> ownedApps() {
    String attempted = "listing the account's apps";
    List<ZendeskApp.App> apps = new ArrayList<>();
    for (JsonNode a : send(attempted, new Request.Builder().url(apps("owned")).get()).path("apps"))
      apps.add(read(attempted, a, ZendeskApp.App.class));
    return apps;
  }

  @Override
  public long uploadApp(byte[] zip) {
    String attempted = "uploading the app package";
    RequestBody body =
        new okhttp3.MultipartBody.Builder()
            .setType(okhttp3.MultipartBody.FORM)
            .addFormDataPart(
                "uploaded_data",
                "cancellation-desk.zip",
                RequestBody.create(zip, MediaType.get("application/zip")))
            .build();
    JsonNode id = send(attempted, new Request.Builder().url(apps("uploads")).post(body)).path("id");
    if (!id.canConvertToLong()) throw ZendeskFailures.unreadable(attempted, "no upload id");
    return id.asLong();
  }

  @Override
  public String createApp(String name, String shortDescription, long uploadId) {
    Map<String, Object> app =
        Map.of("name", name, "short_description", shortDescription, "upload_id", uploadId);
    return jobId(
        "creating app \"" + name + "\"",
        new Request.Builder().url(apps("")).post(RequestBody.create(write(app), JSON_TYPE)));
  }

  @Override
  public String updateApp(long appId, long uploadId) {
    return jobId(
        "updating app " + appId,
        new Request.Builder()
            .url(apps(String.valueOf(appId)))
            .put(RequestBody.create(write(Map.of("upload_id", uploadId)), JSON_TYPE)));
  }

  @Override
  public ZendeskApp.Job appJob(String jobId) {
    String attempted = "reading the app build job " + jobId;
    HttpUrl url =
        api.newBuilder().addPathSegments("apps/job_statuses").addPathSegment(jobId).build();
    return read(
        attempted, send(attempted, new Request.Builder().url(url).get()), ZendeskApp.Job.class);
  }

  @Override
  public List<ZendeskApp.Installation> installations() {
    String attempted = "listing app installations";
    List<ZendeskApp.Installation> found = new ArrayList<>();
    for (JsonNode i :
        send(attempted, new Request.Builder().url(apps("installations")).get())
            .path("installations")) found.add(read(attempted, i, ZendeskApp.Installation.class));
    return found;
  }

  @Override
  public long install(long appId, Map<String, Object> settings) {
    String attempted = "installing app " + appId;
    JsonNode answer =
        send(
            attempted,
            new Request.Builder()
                .url(apps("installations"))
                .post(
                    RequestBody.create(
                        write(Map.of("app_id", appId, "settings", settings)), JSON_TYPE)));
    JsonNode id =
        answer.has("installation") ? answer.path("installation").path("id") : answer.path("id");
    if (!id.canConvertToLong()) throw ZendeskFailures.unreadable(attempted, "no installation id");
    return id.asLong();
  }

  @Override
  public void updateInstallation(long installationId, Map<String, Object> settings) {
    send(
        "updating app installation " + installationId,
        new Request.Builder()
            .url(apps("installations/" + installationId))
            .put(
                RequestBody.create(
                    write(Map.of("settings", settings, "enabled", true)), JSON_TYPE)));
  }

  private String jobId(String attempted, Request.Builder request) {
    JsonNode id = send(attempted, request).path("job_id");
    if (!id.isTextual() && !id.canConvertToLong())
      throw ZendeskFailures.unreadable(attempted, "no job_id");
    return id.asText();
  }

  private HttpUrl apps(String rest) {
    HttpUrl.Builder url = api.newBuilder().addPathSegment("apps");
    if (!rest.isEmpty()) url.addPathSegments(rest);
    return url.build();
  }

  @Override
  public void close() {
    client.close();
  }

  private HttpUrl webhooks(List<String> segments) {
    HttpUrl.Builder url = api.newBuilder().addPathSegment("webhooks");
    segments.forEach(url::addPathSegment);
    return url.build();
  }

  /** Follows Zendesk's cursor link only on the same host, so credentials never go elsewhere. */
  private HttpUrl nextPage(JsonNode body) {
    return SameOrigin.follow(api, body.path("links").path("next").asText(""));
  }

  private JsonNode send(String attempted, Request.Builder request) {
    Request built =
        request.header("Authorization", authorization).header("Accept", "application/json").build();
    try (Response response = http.newCall(built).execute()) {
      String body = response.body().string();
      if (!response.isSuccessful()) throw ZendeskFailures.refused(attempted, response.code(), body);
      return body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (JsonProcessingException e) {
      throw ZendeskFailures.unreadable(attempted, "not JSON");
    } catch (IOException e) {
      throw ZendeskFailures.unreachable(attempted, e);
    }
  }

  private <T> T read(String attempted, JsonNode node, Class<T> type) {
    try {
      return json.treeToValue(node, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw ZendeskFailures.unreadable(attempted, e.getMessage());
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T call(String attempted, Supplier<T> request) {
    try {
      return request.get();
    } catch (ZendeskResponseException e) {
      throw ZendeskFailures.refused(attempted, e.getStatusCode(), e.getBody());
    } catch (ZendeskException e) {
      throw ZendeskFailures.unreachable(attempted, e);
    }
  }

  private static <T> java.util.stream.Stream<T> stream(Iterable<T> items) {
    return StreamSupport.stream(items.spliterator(), false);
  }

  private static Macro fromClient(org.zendesk.client.v2.model.Macro m) {
    return new Macro(m.getId(), m.getTitle(), m.getActive(), fromClient(m.getActions()));
  }

  private static org.zendesk.client.v2.model.Macro toClient(Macro macro) {
    org.zendesk.client.v2.model.Macro m = new org.zendesk.client.v2.model.Macro();
    if (macro.id() != null) m.setId(macro.id());
    m.setTitle(macro.title());
    m.setActive(macro.active());
    m.setActions(toClient(macro.actions()));
    return m;
  }

  private static Trigger fromClient(org.zendesk.client.v2.model.Trigger t) {
    org.zendesk.client.v2.model.Trigger.Conditions conditions = t.getConditions();
    return new Trigger(
        t.getId(),
        t.getTitle(),
        t.isActive(),
        t.getPosition(),
        t.getCategoryId(),
        conditions == null
            ? List.of()
            : conditions.getAll().stream().map(HttpZendeskAdmin::fromClient).toList(),
        conditions == null
            ? List.of()
            : conditions.getAny().stream().map(HttpZendeskAdmin::fromClient).toList(),
        fromClient(t.getActions()));
  }

  private static org.zendesk.client.v2.model.Trigger toClient(Trigger trigger) {
    org.zendesk.client.v2.model.Trigger t = new org.zendesk.client.v2.model.Trigger();
    t.setId(trigger.id());
    t.setTitle(trigger.title());
    t.setActive(trigger.active());
    if (trigger.position() != null) t.setPosition(trigger.position());
    t.setCategoryId(trigger.categoryId());
    org.zendesk.client.v2.model.Trigger.Conditions conditions =
        new org.zendesk.client.v2.model.Trigger.Conditions();
    conditions.setAll(
        new ArrayList<>(trigger.all().stream().map(HttpZendeskAdmin::toClient).toList()));
    conditions.setAny(
        new ArrayList<>(trigger.any().stream().map(HttpZendeskAdmin::toClient).toList()));
    t.setConditions(conditions);
    t.setActions(toClient(trigger.actions()));
    return t;
  }

  private static Condition fromClient(org.zendesk.client.v2.model.Trigger.Condition c) {
    return new Condition(c.getField(), c.getOperator(), c.getValue());
  }

  private static org.zendesk.client.v2.model.Trigger.Condition toClient(Condition c) {
    return new org.zendesk.client.v2.model.Trigger.Condition(c.field(), c.operator(), c.value());
  }

  private static List<Action> fromClient(List<org.zendesk.client.v2.model.Action> actions) {
    if (actions == null) return List.of();
    return actions.stream()
        .map(
            a ->
                new Action(
                    a.getField(), a.getValue() == null ? List.of() : Arrays.asList(a.getValue())))
        .toList();
  }

  private static List<org.zendesk.client.v2.model.Action> toClient(List<Action> actions) {
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
