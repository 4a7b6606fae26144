package spark.desk.logistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import spark.desk.logistics.FakeLogisticsServer.Call;
import spark.desk.testing.Browser;

/**
 * The logistics clerk's page in a real headless Chromium, against {@link FakeLogisticsServer}: the
 * page's own files from the classpath and the section 11 API answered from memory. Each test gets
 * a new server on a new port, hence a new origin with empty session and local storage.
 */
class LogisticsPageBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.now();

  private static Browser browser;
  private FakeLogisticsServer server;

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
  void startServer() {
    server = new FakeLogisticsServer();
    server.addPending(7, 101, "SP-10001", "1Z999AA10123456784", "UPS", NOW.minus(Duration.ofHours(26)));
    server.addPending(8, 102, "SP-10002", null, null, NOW.minus(Duration.ofHours(3)));
    server.addPending(9, 103, "SP-10003", "9400111899223856921234", "USPS", NOW.minus(Duration.ofMinutes(40)));
    server.addPending(5, 95, "SP-09995", "1Z999AA10123450001", "UPS", NOW.minus(Duration.ofDays(6)));
    server.mark(5, "unsuccessful", "Sam", "Already with the carrier", NOW.minus(Duration.ofDays(5)));
    server.setOutcomes(5, "return_to_sender", null);
    server.addPending(4, 94, "SP-09994", "1Z999AA10123450002", "UPS", NOW.minus(Duration.ofDays(8)));
    server.mark(4, "successful", "Sam", "<img src=x onerror=\"document.title='pwned'\"> stopped", NOW.minus(Duration.ofDays(7)));
  }

  @AfterEach
  void stopServer() {
    server.close();
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
  void listsPendingRequestsOldestFirstWithEveryColumn() {
    open();
    signIn(FakeLogisticsServer.TOKEN);

    browser.find(By.id("pending-table"));
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("#pending-rows tr"));
    assertEquals(List.of("7", "8", "9"), rows.stream().map(r -> r.getAttribute("data-request-id")).toList());
    String first = rows.get(0).getText();
    for (String expected : List.of("#101", "SP-10001", "1Z999AA10123456784", "UPS", "Yes", "26 hours ago")) {
      assertTrue(first.contains(expected), "row shows " + expected + ": " + first);
    }
    String notShipped = rows.get(1).getText();
    assertTrue(notShipped.contains("No") && notShipped.contains("3 hours ago"), notShipped);
    assertEquals("(3)", text("pending-count"));
    assertEquals("Bearer " + FakeLogisticsServer.TOKEN, server.calls().get(0).authorization());
  }

  @Test
  void showsHistoryWithOutcomesAndEscapesTheData() {
    open();
    signIn(FakeLogisticsServer.TOKEN);

    WebElement returned = browser.find(By.cssSelector("#history-rows tr[data-request-id='5']"));
    for (String expected : List.of("#95", "Unsuccessful", "by Sam", "Already with the carrier", "Returned to sender")) {
      assertTrue(returned.getText().contains(expected), "history shows " + expected + ": " + returned.getText());
    }
    WebElement hostile = browser.find(By.cssSelector("#history-rows tr[data-request-id='4']"));
    assertTrue(hostile.getText().contains("<img src=x onerror="), hostile.getText());
    assertTrue(browser.driver().findElements(By.cssSelector("#history-rows img")).isEmpty());
    assertFalse(browser.driver().getTitle().contains("pwned"));
  }

  @Test
  void marksARequestSuccessfulWithANoteAndMovesItToHistory() throws Exception {
    open();
    signIn(FakeLogisticsServer.TOKEN);
    saveName("Ana Logistics");
    WebElement row = browser.find(By.cssSelector("#pending-rows tr[data-request-id='7']"));
    row.findElement(By.cssSelector("input.note")).sendKeys("Stopped at the depot");
    row.findElement(By.cssSelector("button.success")).click();

    browser.waitForText(By.id("status"), "Ticket #101 marked successful.");
    Call post = onlyCall("POST", "/api/logistics/requests/7/result");
    assertEquals("Bearer " + FakeLogisticsServer.TOKEN, post.authorization());
    assertEquals(
        Map.of("result", "successful", "by", "Ana Logistics", "note", "Stopped at the depot"),
        JSON.readValue(post.body(), Map.class));
    WebElement history = browser.find(By.cssSelector("#history-rows tr[data-request-id='7']"));
    assertTrue(history.getText().contains("Successful"), history.getText());
    assertTrue(history.getText().contains("by Ana Logistics"), history.getText());
    assertTrue(history.getText().contains("Stopped at the depot"), history.getText());
    assertTrue(browser.driver().findElements(By.cssSelector("#pending-rows tr[data-request-id='7']")).isEmpty());
    assertEquals("(2)", text("pending-count"));
  }

  @Test
  void sendsNoNoteWhenTheNoteIsLeftEmpty() throws Exception {
    open();
    signIn(FakeLogisticsServer.TOKEN);
    saveName("Ana");
    browser.find(By.cssSelector("#pending-rows tr[data-request-id='9'] button.danger")).click();

    browser.waitForText(By.id("status"), "Ticket #103 marked unsuccessful.");
    Map<?, ?> body = JSON.readValue(onlyCall("POST", "/api/logistics/requests/9/result").body(), Map.class);
    assertEquals("unsuccessful", body.get("result"));
    assertEquals("Ana", body.get("by"));
    assertTrue(body.containsKey("note") && body.get("note") == null, body.toString());
  }

  @Test
  void saysWhoMarkedARequestFirstWhenTheServerAnswersConflict() {
    open();
    signIn(FakeLogisticsServer.TOKEN);
    saveName("Ana");
    WebElement row = browser.find(By.cssSelector("#pending-rows tr[data-request-id='8']"));
    server.mark(8, "unsuccessful", "Sam", "Parcel already left", Instant.now());

    row.findElement(By.cssSelector("button.success")).click();

    browser.waitForText(By.id("alert"), "Already marked unsuccessful by Sam");
    browser.find(By.cssSelector("#history-rows tr[data-request-id='8']"));
    assertTrue(browser.driver().findElements(By.cssSelector("#pending-rows tr[data-request-id='8']")).isEmpty());
  }

  @Test
  void asksForTheNameBeforeMarkingAndRemembersItAfterSignOut() {
    open();
    signIn(FakeLogisticsServer.TOKEN);
    browser.find(By.id("clerk-name"));
    browser.find(By.cssSelector("#pending-rows tr[data-request-id='7'] button.success")).click();
    browser.waitForText(By.id("alert"), "Enter your name before marking");
    assertTrue(server.calls().stream().noneMatch(c -> c.method().equals("POST")));

    saveName("Ana");
    browser.find(By.id("sign-out")).click();
    browser.find(By.id("token"));
    assertNull(sessionToken());
    signIn(FakeLogisticsServer.TOKEN);

    browser.waitForText(By.id("marking-as"), "Marking as Ana");
    assertFalse(browser.driver().findElement(By.id("name-form")).isDisplayed());
  }

  @Test
  void returnsToSignInWhenTheTokenStopsWorking() {
    open();
    signIn(FakeLogisticsServer.TOKEN);
    browser.find(By.id("pending-table"));

    server.rotateToken();
    browser.find(By.id("refresh")).click();

    browser.waitForText(By.id("sign-in-error"), "That token was not accepted");
    assertNull(sessionToken());
  }

  @Test
  void staysSignedInAcrossAReloadOfTheTab() {
    open();
    signIn(FakeLogisticsServer.TOKEN);
    browser.find(By.id("pending-table"));

    browser.driver().navigate().refresh();

    browser.find(By.cssSelector("#pending-rows tr[data-request-id='7']"));
    assertFalse(browser.driver().findElement(By.id("sign-in")).isDisplayed());
  }

  @Test
  void showsTheEmptyStateWhenNothingIsPending() {
    server.mark(7, "successful", "Sam", null, NOW);
    server.mark(8, "successful", "Sam", null, NOW);
    server.mark(9, "successful", "Sam", null, NOW);
    open();
    signIn(FakeLogisticsServer.TOKEN);

    browser.waitForText(By.id("pending-empty"), "No pending requests — all caught up");
    assertFalse(browser.driver().findElement(By.id("pending-table")).isDisplayed());
  }

  @Test
  void downloadsResponsesCsvWithTheBearerToken() throws Exception {
    open();
    signIn(FakeLogisticsServer.TOKEN);
    browser.find(By.id("download")).click();

    Path csv = browser.awaitDownload("responses.csv");
    assertEquals(server.csv(), Files.readString(csv, StandardCharsets.UTF_8));
    Call call = onlyCall("GET", "/api/logistics/responses.csv");
    assertEquals("Bearer " + FakeLogisticsServer.TOKEN, call.authorization());
    browser.waitForText(By.id("status"), "responses.csv downloaded.");
  }

  @Test
  void looksRight() throws Exception {
    open();
    signIn(FakeLogisticsServer.TOKEN);
    browser.find(By.id("clerk-name"));
    browser.waitForText(By.id("updated"), "Updated");
    browser.screenshot(screenshots().resolve("logistics-first-visit.png"));

    saveName("Ana");
    browser.find(By.cssSelector("#pending-rows tr[data-request-id='7'] input.note")).sendKeys("Stopped at the depot");
    browser.find(By.cssSelector("#pending-rows tr[data-request-id='7'] button.success")).click();
    browser.waitForText(By.id("status"), "Ticket #101 marked successful.");
    browser.find(By.cssSelector("#history-rows tr[data-request-id='7']"));
    browser.waitForText(By.id("updated"), "Updated");
    Path png = browser.screenshotFullPage(screenshots().resolve("logistics.png"));
    assertTrue(Files.size(png) > 0);

    browser.find(By.id("sign-out")).click();
    browser.find(By.id("token"));
    browser.screenshot(screenshots().resolve("logistics-sign-in.png"));
  }

  private void open() {
    browser.open(server.baseUrl() + "/logistics");
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

  private static String text(String id) {
    return browser.driver().findElement(By.id(id)).getText();
  }

  private static String sessionToken() {
    return (String) browser.script("return sessionStorage.getItem('cancellationDesk.logisticsToken');");
  }

  private Call onlyCall(String method, String path) {
    List<Call> matching =
        browser.waitUntil(
            method + " " + path,
            () -> {
              List<Call> found =
                  server.calls().stream().filter(c -> c.method().equals(method) && c.path().equals(path)).toList();
              return found.isEmpty() ? null : found;
            });
    assertEquals(1, matching.size(), matching.toString());
    return matching.get(0);
  }

  private static Path screenshots() {
    return Path.of(System.getProperty("project.basedir", ".")).resolve("target/screenshots");
  }
}
