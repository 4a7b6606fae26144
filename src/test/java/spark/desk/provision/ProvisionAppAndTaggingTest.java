package spark.desk.provision;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.config.Config;
import spark.desk.store.Database;
import spark.desk.store.Settings;
import spark.desk.web.Tokens;

/** Contract section 8: the tagging trigger, the order of set-up, and the sidebar app. */
class ProvisionAppAndTaggingTest {
  private static final String EMAIL = "admin@spark.example";
  private static final String TOKEN = "api-token-123";
  private static final String PUBLIC_URL = "https://desk.spark.example";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String database = "jdbc:h2:mem:provision-app-" + UUID.randomUUID();
  private FakeZendesk zendesk;
  private WireMockServer wm;
  private Database db;

  @BeforeEach
  void start() {
    zendesk = new FakeZendesk(EMAIL, TOKEN);
    wm = new WireMockServer(options().dynamicPort().extensions(zendesk));
    wm.start();
    wm.stubFor(any(anyUrl()).willReturn(ok()));
    db = Database.open(database, null, null);
  }

  @AfterEach
  void stop() {
    db.close();
    wm.stop();
  }

  @Test
  void taggingTriggerAddsTheFirstCancellationTagToNewTicketsContainingAPhrase() throws IOException {
    ProvisionTest.Run run =
        ProvisionTest.provision(
            env(
                Map.of(
                    "CANCELLATION_TAGS", "cancel_req,cancellation_request",
                    "CANCELLATION_KEYWORDS", "cancel my order, stornieren")),
            List.of());
    assertEquals(0, run.exit(), run.err());

    JsonNode trigger = sentTrigger("Cancellation Desk: tag cancellation requests");
    assertTrue(trigger.path("active").asBoolean());
    assertEquals(
        JSON.readTree(
            "[{\"field\": \"update_type\", \"operator\": \"is\", \"value\": \"Create\"}]"),
        trigger.path("conditions").path("all"));
    assertEquals(
        JSON.readTree(
            "[{\"field\": \"comment_includes_word\", \"operator\": \"is\", \"value\": \"cancel my order\"},"
                + " {\"field\": \"comment_includes_word\", \"operator\": \"is\", \"value\": \"stornieren\"}]"),
        trigger.path("conditions").path("any"));
    assertEquals(1, trigger.path("actions").size());
    assertEquals("current_tags", trigger.path("actions").get(0).path("field").asText());
    assertEquals("cancel_req", text(trigger.path("actions").get(0).path("value")));
    assertFalse(trigger.toString().contains("set_tags"));
  }

  @Test
  void defaultKeywordsAreTheContractsFourPhrases() {
    provision(List.of());

    JsonNode any = sentTrigger("Cancellation Desk: tag cancellation requests").path("conditions");
    List<String> phrases = new java.util.ArrayList<>();
    any.path("any").forEach(c -> phrases.add(c.path("value").asText()));
    assertEquals(
        List.of("cancel my order", "cancel the order", "cancel order", "cancellation"), phrases);
  }

  @Test
  void theSecretIsStoredBeforeAnyTriggerIsWritten() {
    provision(List.of());

    List<String> calls =
        wm.getAllServeEvents().stream()
            .map(e -> e.getRequest())
            .sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate))
            .map(r -> r.getMethod().getName() + " " + r.getUrl().replaceAll("\\?.*", ""))
            .toList();
    String webhookId = zendesk.webhooks.keySet().iterator().next();
    int secretRead = calls.indexOf("GET /api/v2/webhooks/" + webhookId + "/signing_secret");
    int firstTrigger = calls.indexOf("POST /api/v2/triggers.json");
    assertTrue(secretRead >= 0 && secretRead < firstTrigger, calls.toString());
    assertEquals(
        zendesk.secrets.get(webhookId),
        new Settings(db.jdbi()).find("ZENDESK_WEBHOOK_SECRET").orElseThrow());
  }

  @Test
  void theAppIsUploadedOnceWithThisInstallationsManifestAndSettings() throws IOException {
    ProvisionTest.Run first = provision(List.of());
    assertEquals(0, first.exit(), first.err());
    assertTrue(first.out().contains("app \"Cancellation Desk\": created"), first.out());
    assertTrue(
        first.out().contains("app installation \"Cancellation Desk\": created"), first.out());

    assertEquals(1, zendesk.uploads.size());
    Map<String, byte[]> files = unzip(zendesk.uploads.values().iterator().next());
    JsonNode manifest = JSON.readTree(files.get("manifest.json"));
    assertEquals("[\"desk.spark.example\"]", manifest.path("domainWhitelist").toString());
    assertEquals("Cancellation Desk", manifest.path("name").asText());
    assertTrue(files.containsKey("assets/iframe.html") && files.containsKey("assets/i18n.js"));
    assertTrue(files.containsKey("translations/en.json"));

    assertEquals(1, zendesk.apps.size());
    JsonNode app = zendesk.apps.values().iterator().next();
    assertEquals("Cancellation Desk", app.path("name").asText());
    assertEquals(1, zendesk.installations.size());
    JsonNode installation = zendesk.installations.values().iterator().next();
    assertEquals(app.path("id").asLong(), installation.path("app_id").asLong());
    String appToken = Tokens.resolve(config(Map.of()), new Settings(db.jdbi())).app();
    assertEquals(
        JSON.readTree(
            "{\"name\": \"Cancellation Desk\", \"backend_url\": \""
                + PUBLIC_URL
                + "\", \"backend_token\": \""
                + appToken
                + "\"}"),
        installation.path("settings"));

    wm.resetRequests();
    ProvisionTest.Run second = provision(List.of());

    assertEquals(0, second.exit(), second.err());
    assertEquals(List.of(), writes(), "a second run writes nothing");
    assertTrue(second.out().contains("app \"Cancellation Desk\": unchanged"), second.out());
    assertTrue(
        second.out().contains("app installation \"Cancellation Desk\": unchanged"), second.out());
  }

  @Test
  void aChangedPublicUrlUpdatesTheAppAndCorrectsTheInstallation() throws IOException {
    provision(List.of());
    long appId = zendesk.apps.keySet().iterator().next();
    wm.resetRequests();

    ProvisionTest.Run run =
        ProvisionTest.provision(env(Map.of("PUBLIC_URL", "https://cxl.spark.example")), List.of());

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("app \"Cancellation Desk\": updated (package)"), run.out());
    assertTrue(
        run.out()
            .contains(
                "app installation \"Cancellation Desk\": repaired (backend_url, backend_token)"),
        run.out());
    assertEquals(1, zendesk.apps.size(), "the same app, rebuilt");
    assertEquals(1, wm.findAll(postRequestedFor(urlPathEqualTo("/api/v2/apps/uploads"))).size());
    long upload = zendesk.apps.get(appId).path("upload_id").asLong();
    assertEquals(
        "[\"cxl.spark.example\"]",
        JSON.readTree(unzip(zendesk.uploads.get(upload)).get("manifest.json"))
            .path("domainWhitelist")
            .toString());
    assertEquals(
        "https://cxl.spark.example",
        zendesk
            .installations
            .values()
            .iterator()
            .next()
            .path("settings")
            .path("backend_url")
            .asText());
    assertEquals(1, zendesk.installations.size());
  }

  @Test
  void aTokenChangedInZendeskIsNotSeenButAnotherApptokenIsSentAgain() {
    provision(List.of());
    wm.resetRequests();

    ProvisionTest.Run run =
        ProvisionTest.provision(
            env(Map.of("APP_TOKEN", "rotated-app-token-0123456789abcdef0123")), List.of());

    assertTrue(
        run.out().contains("app installation \"Cancellation Desk\": repaired (backend_token)"),
        run.out());
    assertEquals(
        "rotated-app-token-0123456789abcdef0123",
        zendesk
            .installations
            .values()
            .iterator()
            .next()
            .path("settings")
            .path("backend_token")
            .asText());
    assertEquals(0, wm.findAll(postRequestedFor(urlPathEqualTo("/api/v2/apps/uploads"))).size());
  }

  @Test
  void skipAppLeavesTheAppAlone() {
    ProvisionTest.Run run = provision(List.of("--skip-app"));

    assertEquals(0, run.exit(), run.err());
    assertTrue(zendesk.apps.isEmpty());
    assertEquals(
        List.of(),
        wm.findAll(anyRequestedFor(anyUrl())).stream()
            .filter(r -> r.getUrl().startsWith("/api/v2/apps"))
            .toList());
  }

  @Test
  void dryRunPlansTheAppAndUploadsNothing() {
    ProvisionTest.Run run = provision(List.of("--dry-run"));

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("app \"Cancellation Desk\": would be created"), run.out());
    assertTrue(zendesk.uploads.isEmpty());
    assertEquals(List.of(), writes());
  }

  private ProvisionTest.Run provision(List<String> args) {
    return ProvisionTest.provision(env(Map.of()), args);
  }

  private JsonNode sentTrigger(String title) {
    return wm.findAll(postRequestedFor(urlPathEqualTo("/api/v2/triggers.json"))).stream()
        .map(r -> readTree(r.getBodyAsString()).path("trigger"))
        .filter(t -> t.path("title").asText().equals(title))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no trigger " + title));
  }

  private List<LoggedRequest> writes() {
    return wm.findAll(anyRequestedFor(anyUrl())).stream()
        .filter(r -> !r.getMethod().getName().equals("GET"))
        .toList();
  }

  private static String text(JsonNode value) {
    if (!value.isArray()) return value.asText();
    StringBuilder s = new StringBuilder();
    value.forEach(v -> s.append(s.length() == 0 ? "" : " ").append(v.asText()));
    return s.toString();
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) files.put(e.getName(), in.readAllBytes());
    }
    return files;
  }

  private static JsonNode readTree(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Config config(Map<String, String> extra) {
    return Config.fromEnvironment(env(extra));
  }

  private Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("ZENDESK_URL", wm.baseUrl());
    env.put("ZENDESK_EMAIL", EMAIL);
    env.put("ZENDESK_API_TOKEN", TOKEN);
    env.put("PUBLIC_URL", PUBLIC_URL);
    env.put("ZENDESK_ORDER_FIELD_ID", "360000123");
    env.put("DATABASE_URL", database);
    env.putAll(extra);
    return env;
  }
}
