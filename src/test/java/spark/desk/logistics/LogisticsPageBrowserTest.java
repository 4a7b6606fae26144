package spark.desk.logistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import spark.desk.App;
import spark.desk.config.Config;
import spark.desk.orders.Order;
import spark.desk.testing.Browser;
import spark.desk.tracking.Tracker;

/**
 * The logistics clerk's page end to end: a real headless Chromium against the real service
 * ({@link App} on port 0, shadow mode, in-memory H2), with the order system and tracking service
 * as in-memory fakes. Cancellation requests come in as signed Zendesk webhooks (contract section 4),
 * so the pending requests the page lists were filed by the SOP's step 2. Each test gets a new
 * service on a new port, hence a new origin with empty session and local storage.
 */
class LogisticsPageBrowserTest {
  private static final String LOGISTICS_TOKEN = "logistics-token-for-tests";
  private static final String ADMIN_TOKEN = "admin-token-for-tests";
  private static final String WEBHOOK_SECRET = "webhook-secret-for-tests";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static final Map<String, Order> ORDERS =
      Map.of(
          "SP-10001", order("SP-10001", "shipped", "1Z999AA10123456784", "UPS"),
          "SP-10002", order("SP-10002", "processing", null, null),
          "SP-10003", order("SP-10003", "shipped", "9400111899223856921234", "USPS"));

  private static Browser browser;
  private App app;
  private final Map<Long, Long> requestIdByTicket = new java.util.HashMap<>();

  @BeforeAll
  static void startBrowser() {
    Browser.assumeAvailable();
    browser = Browser.start();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) browser.close();
  }

  @BeforeEach
  void startServiceWithThreeCancellationRequests() throws Exception {
    Config config =
        Config.fromEnvironment(
            Map.of(
                "PORT", "0",
                "DATABASE_URL", "jdbc:h2:mem:logistics-page-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "LOGISTICS_TOKEN", LOGISTICS_TOKEN,
                "ADMIN_TOKEN", ADMIN_TOKEN,
                "ZENDESK_WEBHOOK_SECRET", WEBHOOK_SECRET,
                "REFUND_GROUP_ID", "360000000001"));
    App.Ports ports =
        new App.Ports(
            orderNumber -> Optional.ofNullable(ORDERS.get(orderNumber)),
            (trackingNumber, carrier) ->
                Optional.of(new Tracker(trackingNumber, carrier, "in_transit", Instant.now(), null, List.of())),
            Optional.empty());
    app = App.create(config, ports, Clock.systemUTC()).start();
    for (long ticket = 101; ticket <= 103; ticket++) {
      sendCancellationTicket(ticket, "SP-" + (10000 + ticket - 100));
    }
    browser.waitUntil("three pending logistics requests", () -> requests("pending").size() == 3);
    for (JsonNode r : requests("pending")) requestIdByTicket.put(r.get("ticketId").asLong(), r.get("id").asLong());
  }

  @AfterEach
  void stopService() {
    if (app != null) app.stop();
  }

  @Test
  void refusesAWrongTokenWithAMessage() {
    open();
    signIn("not-the-token");

    browser.waitForText(By.id("sign-in-error"), "That token was not accepted");
    assertFalse(browser.driver().findElement(By.id("desk")).isDisplayed());
    assertNull(sessionToken());
  }

  @Test
  void listsTheRequestsFiledByTheSopOldestFirst() {
    open();
    signIn(LOGISTICS_TOKEN);

    browser.find(By.id("pending-table"));
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("#pending-rows tr"));
    assertEquals(
        List.of("#101", "#102", "#103"),
        rows.stream().map(r -> r.findElement(By.tagName("th")).getText()).toList());
    assertContainsAll(rows.get(0), "SP-10001", "1Z999AA10123456784", "UPS", "Yes", "just now");
    assertContainsAll(rows.get(1), "SP-10002", "No");
    assertContainsAll(rows.get(2), "SP-10003", "9400111899223856921234", "USPS", "Yes");
    assertEquals("(3)", text("pending-count"));
    browser.waitForText(By.id("history-empty"), "No results marked yet");
  }

  @Test
  void marksARequestSuccessfulWithANoteAndTheServiceEscalatesAtOnce() throws Exception {
    open();
    signIn(LOGISTICS_TOKEN);
    saveName("Ana Logistics");
    WebElement row = pendingRow(101);
    row.findElement(By.cssSelector("input.note")).sendKeys("Stopped at the depot");
    row.findElement(By.cssSelector("button.success")).click();

    browser.waitForText(By.id("status"), "Ticket #101 marked successful.");
    WebElement history = historyRow(101);
    assertContainsAll(history, "Successful", "by Ana Logistics", "Stopped at the depot");
    assertTrue(browser.driver().findElements(pendingRowSelector(101)).isEmpty());
    assertEquals("(2)", text("pending-count"));

    JsonNode recorded = request(101);
    assertEquals("successful", recorded.get("result").asText());
    assertEquals("Ana Logistics", recorded.get("resultBy").asText());
    assertEquals("Stopped at the depot", recorded.get("note").asText());
    assertEquals("refund_escalated", adminCase(101).get("stage").asText(), "SOP step 3.1 ran at once");
  }

  @Test
  void marksARequestUnsuccessfulWithoutANote() throws Exception {
    open();
    signIn(LOGISTICS_TOKEN);
    saveName("Ana");
    pendingRow(103).findElement(By.cssSelector("button.danger")).click();

    browser.waitForText(By.id("status"), "Ticket #103 marked unsuccessful.");
    assertContainsAll(historyRow(103), "Unsuccessful", "by Ana");
    JsonNode recorded = request(103);
    assertEquals("unsuccessful", recorded.get("result").asText());
    assertTrue(recorded.get("note").isNull(), recorded.toString());
  }

  @Test
  void saysWhoMarkedARequestFirstWhenTheServerAnswersConflict() throws Exception {
    open();
    signIn(LOGISTICS_TOKEN);
    saveName("Ana");
    WebElement row = pendingRow(102);
    assertEquals(200, markThroughTheApi(102, "unsuccessful", "Sam", "Parcel already left").statusCode());

    row.findElement(By.cssSelector("button.success")).click();

    browser.waitForText(By.id("alert"), "Already marked unsuccessful by Sam");
    assertContainsAll(historyRow(102), "Unsuccessful", "by Sam", "Parcel already left");
    assertTrue(browser.driver().findElements(pendingRowSelector(102)).isEmpty());
    assertEquals("unsuccessful", request(102).get("result").asText());
  }

  @Test
  void showsNotesAsTextNeverAsMarkup() throws Exception {
    markThroughTheApi(101, "successful", "Sam", "<img src=x onerror=\"document.title='pwned'\"> stopped");
    open();
    signIn(LOGISTICS_TOKEN);

    assertContainsAll(historyRow(101), "<img src=x onerror=", "stopped");
    assertTrue(browser.driver().findElements(By.cssSelector("#history-rows img")).isEmpty());
    assertFalse(browser.driver().getTitle().contains("pwned"));
  }

  @Test
  void asksForTheNameBeforeMarkingAndRemembersItAfterSignOut() throws Exception {
    open();
    signIn(LOGISTICS_TOKEN);
    browser.find(By.id("clerk-name"));
    pendingRow(101).findElement(By.cssSelector("button.success")).click();
    browser.waitForText(By.id("alert"), "Enter your name before marking");
    assertEquals("pending", request(101).get("result").asText());

    saveName("Ana");
    browser.find(By.id("sign-out")).click();
    browser.find(By.id("token"));
    assertNull(sessionToken());
    signIn(LOGISTICS_TOKEN);

    browser.waitForText(By.id("marking-as"), "Marking as Ana");
    assertFalse(browser.driver().findElement(By.id("name-form")).isDisplayed());
  }

  @Test
  void returnsToSignInWhenTheTokenStopsWorking() {
    open();
    signIn(LOGISTICS_TOKEN);
    browser.find(By.id("pending-table"));

    browser.script("sessionStorage.setItem('cancellationDesk.logisticsToken', 'a-rotated-token');");
    browser.driver().navigate().refresh();

    browser.waitForText(By.id("sign-in-error"), "That token was not accepted");
    assertNull(sessionToken());
  }

  @Test
  void staysSignedInAcrossAReloadOfTheTab() {
    open();
    signIn(LOGISTICS_TOKEN);
    browser.find(By.id("pending-table"));

    browser.driver().navigate().refresh();

    pendingRow(101);
    assertFalse(browser.driver().findElement(By.id("sign-in")).isDisplayed());
  }

  @Test
  void showsTheEmptyStateWhenNothingIsPending() throws Exception {
    for (long ticket = 101; ticket <= 103; ticket++) markThroughTheApi(ticket, "successful", "Sam", null);
    open();
    signIn(LOGISTICS_TOKEN);

    browser.waitForText(By.id("pending-empty"), "No pending requests — all caught up");
    assertFalse(browser.driver().findElement(By.id("pending-table")).isDisplayed());
    historyRow(103);
  }

  @Test
  void downloadsResponsesCsvWithTheBearerToken() throws Exception {
    markThroughTheApi(102, "unsuccessful", "Sam", "Left the depot, \"too late\"");
    open();
    signIn(LOGISTICS_TOKEN);
    browser.find(By.id("download")).click();

    Path csv = browser.awaitDownload("responses.csv");
    String downloaded = Files.readString(csv, StandardCharsets.UTF_8);
    assertEquals(api("GET", "/api/logistics/responses.csv", null).body(), downloaded);
    assertTrue(downloaded.startsWith("id,ticketId,orderNumber,"), downloaded);
    assertTrue(downloaded.contains("\"Left the depot, \"\"too late\"\"\""), downloaded);
    browser.waitForText(By.id("status"), "responses.csv downloaded.");
  }

  @Test
  void looksRight() throws Exception {
    markThroughTheApi(103, "unsuccessful", "Sam", "Already with the carrier");
    open();
    signIn(LOGISTICS_TOKEN);
    browser.find(By.id("clerk-name"));
    browser.waitForText(By.id("updated"), "Updated");
    browser.screenshot(screenshots().resolve("logistics-first-visit.png"));

    saveName("Ana");
    pendingRow(101).findElement(By.cssSelector("input.note")).sendKeys("Stopped at the depot");
    pendingRow(101).findElement(By.cssSelector("button.success")).click();
    browser.waitForText(By.id("status"), "Ticket #101 marked successful.");
    historyRow(101);
    browser.waitForText(By.id("updated"), "Updated");
    Path png = browser.screenshotFullPage(screenshots().resolve("logistics.png"));
    assertTrue(Files.size(png) > 0);

    browser.find(By.id("sign-out")).click();
    browser.find(By.id("token"));
    browser.screenshot(screenshots().resolve("logistics-sign-in.png"));
  }

  // ---- the page --------------------------------------------------------------------------

  private void open() {
    browser.open("http://localhost:" + app.port() + "/logistics");
    browser.find(By.id("token"));
  }

  private static void signIn(String token) {
    WebElement input = browser.find(By.id("token"));
    input.clear();
    input.sendKeys(token);
    browser.find(By.id("sign-in-button")).click();
  }

  private static void saveName(String name) {
    WebElement input = browser.find(By.id("clerk-name"));
    input.clear();
    input.sendKeys(name);
    browser.find(By.cssSelector("#name-form button[type='submit']")).click();
    browser.waitForText(By.id("marking-as"), "Marking as " + name);
  }

  private By pendingRowSelector(long ticketId) {
    return By.cssSelector("#pending-rows tr[data-request-id='" + requestIdByTicket.get(ticketId) + "']");
  }

  private WebElement pendingRow(long ticketId) {
    return browser.find(pendingRowSelector(ticketId));
  }

  private WebElement historyRow(long ticketId) {
    return browser.find(By.cssSelector("#history-rows tr[data-request-id='" + requestIdByTicket.get(ticketId) + "']"));
  }

  private static String text(String id) {
    return browser.driver().findElement(By.id(id)).getText();
  }

  private static String sessionToken() {
    return (String) browser.script("return sessionStorage.getItem('cancellationDesk.logisticsToken');");
  }

  private static void assertContainsAll(WebElement row, String... expected) {
    String text = row.getText();
    for (String e : expected) assertTrue(text.contains(e), "row shows " + e + ": " + text);
  }

  private static Path screenshots() {
    return Path.of(System.getProperty("project.basedir", ".")).resolve("target/screenshots");
  }

  // ---- the service, through its contract ---------------------------------------------------

  /** A new Zendesk ticket tagged cancellation_request, as the provisioned trigger sends it (section 4a). */
  private void sendCancellationTicket(long ticketId, String orderNumber) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String body =
        JSON.writeValueAsString(
            Map.of(
                "ticket_id", String.valueOf(ticketId),
                "created_at", now.toString(),
                "updated_at", now.toString(),
                "status", "new",
                "tags", "cancellation_request",
                "subject", "Please cancel " + orderNumber,
                "description", "I would like to cancel my order " + orderNumber + ".",
                "requester_email", "customer" + ticketId + "@example.com",
                "order_number", orderNumber));
    String timestamp = now.toString();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
    String signature = Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/webhooks/zendesk"))
                .header("Content-Type", "application/json")
                .header("X-Zendesk-Webhook-Signature", signature)
                .header("X-Zendesk-Webhook-Signature-Timestamp", timestamp)
                .header("X-Zendesk-Webhook-Invocation-Id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(202, response.statusCode(), response.body());
  }

  private HttpResponse<String> markThroughTheApi(long ticketId, String result, String by, String note)
      throws Exception {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("result", result);
    body.put("by", by);
    body.put("note", note);
    return api(
        "POST", "/api/logistics/requests/" + requestIdByTicket.get(ticketId) + "/result", JSON.writeValueAsString(body));
  }

  private List<JsonNode> requests(String status) {
    try {
      JsonNode body = JSON.readTree(api("GET", "/api/logistics/requests?status=" + status, null).body());
      return StreamSupport.stream(body.get("requests").spliterator(), false).toList();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonNode request(long ticketId) {
    return requests("all").stream().filter(r -> r.get("ticketId").asLong() == ticketId).findFirst().orElseThrow();
  }

  private JsonNode adminCase(long ticketId) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/api/cases/" + ticketId))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> api(String method, String path, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
            .header("Authorization", "Bearer " + LOGISTICS_TOKEN);
    if (json == null) request.method(method, HttpRequest.BodyPublishers.noBody());
    else request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Order order(String number, String status, String trackingNumber, String carrier) {
    Instant placed = Instant.parse("2026-11-20T10:15:00Z");
    return new Order(
        number, status, trackingNumber, carrier, placed, trackingNumber == null ? null : placed.plusSeconds(86400),
        null, "customer@example.com", new Order.Money("59.90", "USD"));
  }
}
