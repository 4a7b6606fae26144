package spark.desk.logistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import spark.desk.testing.Browser;
import spark.desk.testing.Desk;

/**
 * The logistics clerk's page end to end: a real headless Chromium against the real service ({@link
 * Desk}: the server on a random port, a fresh database, WireMock for Zendesk, the order system and
 * the tracking service). The pending requests come from signed Zendesk webhooks, so they were filed
 * by the SOP's step 2; a result marked on the page goes through the real API and the service reacts
 * to it. Each test gets a new service on a new port, hence a new origin with empty session and
 * local storage.
 */
class LogisticsPageBrowserTest {
  private static final String TOKEN = Desk.LOGISTICS_TOKEN;

  private static Browser browser;
  private Desk desk;
  private final Map<Long, Long> requestIdByTicket = new HashMap<>();

  @BeforeAll
  static void startBrowser() {
    Browser.assumeAvailable();
    browser = Browser.start();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) browser.close();
  }

  /**
   * Tickets 101, 102 and 103 came in 26 hours, 3 hours and 40 minutes ago; the clock then reads
   * now.
   */
  @BeforeEach
  void startServiceWithThreeCancellationRequests() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    desk = Desk.start(Map.of(), now.minus(Duration.ofHours(26)));
    desk.stubOrder(Desk.order("SP-10001", "shipped", "1Z999AA10123456784", null));
    desk.stubOrder(Desk.order("SP-10002", "processing", null, null));
    desk.stubOrder(Desk.order("SP-10003", "shipped", "1Z999AA10123450003", null));
    desk.stubTracker(
        Desk.tracker("1Z999AA10123456784", "in_transit", now.toString(), "in_transit"));
    desk.stubTracker(
        Desk.tracker("1Z999AA10123450003", "in_transit", now.toString(), "in_transit"));
    fileCancellationRequest(101, "SP-10001");
    desk.clock.set(now.minus(Duration.ofHours(3)));
    fileCancellationRequest(102, "SP-10002");
    desk.clock.set(now.minus(Duration.ofMinutes(40)));
    fileCancellationRequest(103, "SP-10003");
    desk.clock.set(now);
    Desk.await("three pending logistics requests", () -> requests("pending").size() == 3);
    for (JsonNode r : requests("pending"))
      requestIdByTicket.put(r.get("ticketId").asLong(), r.get("id").asLong());
  }

  @AfterEach
  void stopService() {
    if (desk != null) desk.close();
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
    signIn(TOKEN);

    browser.find(By.id("pending-table"));
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("#pending-rows tr"));
    assertEquals(
        List.of("#101", "#102", "#103"),
        rows.stream().map(r -> r.findElement(By.tagName("th")).getText()).toList());
    assertContainsAll(rows.get(0), "SP-10001", "1Z999AA10123456784", "UPS", "Yes", "26 hours ago");
    assertContainsAll(rows.get(1), "SP-10002", "No", "3 hours ago");
    assertContainsAll(
        rows.get(2), "SP-10003", "1Z999AA10123450003", "UPS", "Yes", "40 minutes ago");
    assertEquals("(3)", text("pending-count"));
    browser.waitForText(By.id("history-empty"), "No results marked yet");
  }

  @Test
  void ticketNumbersLinkToTheTicketInZendesk() {
    open();
    signIn(TOKEN);
    WebElement link =
        browser.waitUntil(
            "ticket 102's link",
            () ->
                browser.driver().findElements(By.cssSelector("#pending-rows th a")).stream()
                    .filter(a -> a.getText().equals("#102"))
                    .findFirst()
                    .orElse(null));
    assertEquals(desk.wire.baseUrl() + "/agent/tickets/102", link.getAttribute("href"));
  }

  @Test
  void marksARequestSuccessfulWithANoteAndTheServiceEscalatesAtOnce() {
    open();
    signIn(TOKEN);
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
    assertEquals(
        "refund_escalated", desk.caseOf(101).get("stage").asText(), "SOP step 3.1 ran at once");
    Desk.await(
        "the refund escalation written to Zendesk",
        () ->
            desk.zendeskUpdates(101).stream()
                .anyMatch(u -> u.path("ticket").path("group_id").asLong() == Desk.REFUND_GROUP));
  }

  @Test
  void marksARequestUnsuccessfulWithoutANote() {
    open();
    signIn(TOKEN);
    saveName("Ana");
    pendingRow(103).findElement(By.cssSelector("button.danger")).click();

    browser.waitForText(By.id("status"), "Ticket #103 marked unsuccessful.");
    assertContainsAll(historyRow(103), "Unsuccessful", "by Ana");
    JsonNode recorded = request(103);
    assertEquals("unsuccessful", recorded.get("result").asText());
    assertTrue(recorded.get("note").isNull(), recorded.toString());
  }

  @Test
  void saysWhoMarkedARequestFirstWhenTheServerAnswersConflict() {
    open();
    signIn(TOKEN);
    saveName("Ana");
    WebElement row = pendingRow(102);
    assertEquals(
        200, markThroughTheApi(102, "unsuccessful", "Sam", "Parcel already left").status());

    row.findElement(By.cssSelector("button.success")).click();

    browser.waitForText(By.id("alert"), "Already marked unsuccessful by Sam");
    assertContainsAll(historyRow(102), "Unsuccessful", "by Sam", "Parcel already left");
    assertTrue(browser.driver().findElements(pendingRowSelector(102)).isEmpty());
    assertEquals("unsuccessful", request(102).get("result").asText());
  }

  @Test
  void showsNotesAsTextNeverAsMarkup() {
    markThroughTheApi(
        101, "successful", "Sam", "<img src=x onerror=\"document.title='pwned'\"> stopped");
    open();
    signIn(TOKEN);

    assertContainsAll(historyRow(101), "<img src=x onerror=", "stopped");
    assertTrue(browser.driver().findElements(By.cssSelector("#history-rows img")).isEmpty());
    assertFalse(browser.driver().getTitle().contains("pwned"));
  }

  @Test
  void asksForTheNameBeforeMarkingAndRemembersItAfterSignOut() {
    open();
    signIn(TOKEN);
    browser.find(By.id("clerk-name"));
    pendingRow(101).findElement(By.cssSelector("button.success")).click();
    browser.waitForText(By.id("alert"), "Enter your name before marking");
    assertEquals("pending", request(101).get("result").asText());

    saveName("Ana");
    browser.find(By.id("sign-out")).click();
    browser.find(By.id("token"));
    assertNull(sessionToken());
    signIn(TOKEN);

    browser.waitForText(By.id("marking-as"), "Marking as Ana");
    assertFalse(browser.driver().findElement(By.id("name-form")).isDisplayed());
  }

  @Test
  void returnsToSignInWhenTheTokenStopsWorking() {
    open();
    signIn(TOKEN);
    browser.find(By.id("pending-table"));

    browser.script("sessionStorage.setItem('cancellationDesk.logisticsToken', 'a-rotated-token');");
    browser.driver().navigate().refresh();

    browser.waitForText(By.id("sign-in-error"), "That token was not accepted");
    assertNull(sessionToken());
  }

  @Test
  void staysSignedInAcrossAReloadOfTheTab() {
    open();
    signIn(TOKEN);
    browser.find(By.id("pending-table"));

    browser.driver().navigate().refresh();

    pendingRow(101);
    assertFalse(browser.driver().findElement(By.id("sign-in")).isDisplayed());
  }

  @Test
  void showsTheEmptyStateWhenNothingIsPending() {
    for (long ticket = 101; ticket <= 103; ticket++)
      markThroughTheApi(ticket, "successful", "Sam", null);
    open();
    signIn(TOKEN);

    browser.waitForText(By.id("pending-empty"), "No pending requests — all caught up");
    assertFalse(browser.driver().findElement(By.id("pending-table")).isDisplayed());
    historyRow(103);
  }

  @Test
  void downloadsResponsesCsvWithTheBearerToken() throws Exception {
    markThroughTheApi(102, "unsuccessful", "Sam", "Left the depot, \"too late\"");
    open();
    signIn(TOKEN);
    browser.find(By.id("download")).click();

    Path csv = browser.awaitDownload("responses.csv");
    String downloaded = Files.readString(csv, StandardCharsets.UTF_8);
    assertEquals(desk.get("/api/logistics/responses.csv", TOKEN).body(), downloaded);
    assertTrue(downloaded.startsWith("id,ticketId,orderNumber,"), downloaded);
    assertTrue(downloaded.contains("\"Left the depot, \"\"too late\"\"\""), downloaded);
    browser.waitForText(By.id("status"), "responses.csv downloaded.");
  }

  @Test
  void looksRight() throws Exception {
    markThroughTheApi(103, "unsuccessful", "Sam", "Already with the carrier");
    open();
    signIn(TOKEN);
    browser.find(By.id("clerk-name"));
    browser.waitForText(By.id("updated"), "Updated");
    browser.screenshot(Browser.screenshots().resolve("logistics-first-visit.png"));

    saveName("Ana");
    pendingRow(101).findElement(By.cssSelector("input.note")).sendKeys("Stopped at the depot");
    pendingRow(101).findElement(By.cssSelector("button.success")).click();
    browser.waitForText(By.id("status"), "Ticket #101 marked successful.");
    historyRow(101);
    browser.waitForText(By.id("updated"), "Updated");
    Path png = browser.screenshotFullPage(Browser.screenshots().resolve("logistics.png"));
    assertTrue(Files.size(png) > 0);

    browser.find(By.id("sign-out")).click();
    browser.find(By.id("token"));
    browser.screenshot(Browser.screenshots().resolve("logistics-sign-in.png"));
  }

  // ---- the page --------------------------------------------------------------------------

  private void open() {
    browser.open(desk.baseUrl() + "/logistics");
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
    return By.cssSelector(
        "#pending-rows tr[data-request-id='" + requestIdByTicket.get(ticketId) + "']");
  }

  private WebElement pendingRow(long ticketId) {
    return browser.find(pendingRowSelector(ticketId));
  }

  private WebElement historyRow(long ticketId) {
    return browser.find(
        By.cssSelector(
            "#history-rows tr[data-request-id='" + requestIdByTicket.get(ticketId) + "']"));
  }

  private static String text(String id) {
    return browser.driver().findElement(By.id(id)).getText();
  }

  private static String sessionToken() {
    return (String)
        browser.script("return sessionStorage.getItem('cancellationDesk.logisticsToken');");
  }

  private static void assertContainsAll(WebElement row, String... expected) {
    String text = row.getText();
    for (String e : expected) assertTrue(text.contains(e), "row shows " + e + ": " + text);
  }

  // ---- the service, through its contract ----------------------------------------------------

  /**
   * A new ticket tagged cancellation_request, as the provisioned Zendesk trigger sends it (section
   * 4a).
   */
  private void fileCancellationRequest(long ticketId, String orderNumber) {
    String at = desk.clock.instant().toString();
    Desk.Reply reply =
        desk.zendeskWebhook(
            Desk.triggerBody(
                ticketId, at, "cancellation_request", "Please cancel " + orderNumber, orderNumber),
            "inv-" + ticketId);
    assertEquals(202, reply.status(), reply.body());
    Desk.await(
        "the logistics request of ticket " + ticketId,
        () -> requests("pending").stream().anyMatch(r -> r.get("ticketId").asLong() == ticketId));
  }

  private Desk.Reply markThroughTheApi(long ticketId, String result, String by, String note) {
    ObjectNode body =
        JsonNodeFactory.instance.objectNode().put("result", result).put("by", by).put("note", note);
    return desk.post(
        "/api/logistics/requests/" + requestIdByTicket.get(ticketId) + "/result",
        TOKEN,
        body.toString());
  }

  private List<JsonNode> requests(String status) {
    Desk.Reply reply = desk.get("/api/logistics/requests?status=" + status, TOKEN);
    assertEquals(200, reply.status(), reply.body());
    return StreamSupport.stream(reply.json().get("requests").spliterator(), false).toList();
  }

  private JsonNode request(long ticketId) {
    return requests("all").stream()
        .filter(r -> r.get("ticketId").asLong() == ticketId)
        .findFirst()
        .orElseThrow();
  }
}
