package spark.desk.zendeskapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import spark.desk.testing.Browser;

/**
 * The sidebar app in headless Chromium, against a stub ZAFClient ({@link SidebarHost}, which also
 * plays Zendesk's proxy) and the real service ({@link DeskBackend}) answering the section 10 API.
 */
class SidebarAppBrowserTest {

  private static final String TOKEN = DeskBackend.TOKEN;
  private static final long AGENT_ID = 9001;
  private static final String AGENT_NAME = "Alex Agent";
  private static final AtomicLong TICKETS = new AtomicLong(101);

  private static DeskBackend backend;
  private static SidebarHost host;
  private static Browser browser;

  @BeforeAll
  static void start() throws IOException {
    Browser.assumeAvailable();
    backend = new DeskBackend();
    host = new SidebarHost();
    browser = Browser.start(320, 900);
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.close();
    }
    if (host != null) {
      host.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  void showsTheShippedCaseWithStepFactsMacroNextActionAndTimeline() throws IOException {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);
    JsonNode shown = backend.caseView(ticket);
    assertEquals("1.2", shown.path("sopStep").asText(), "the service's view of the case");

    open(ticket);

    assertEquals("1.2 · Order shipped — customer to refuse the parcel", text(".step__title"));
    assertEquals("Waiting for the logistics team", text(".step__stage"));
    assertEquals(shown.path("nextAction").asText(), text(".next__text"));
    assertEquals("Spark Cancellation (Shipped)", text(".macro__title"));
    assertTrue(button("apply-macro").isEnabled());
    Map<String, String> facts = facts();
    assertEquals("SP-" + ticket + " · shipped", facts.get("Order"));
    assertTrue(
        facts.get("Tracking").startsWith(DeskBackend.trackingNumber(ticket) + " (UPS)\nIn transit"),
        facts.get("Tracking"));
    assertEquals("Pending", facts.get("Logistics request"));
    assertEquals(
        List.of("refusal_requested", "recheck"), actionsOffered(), "keep/return only at step 4.2");
    List<WebElement> timeline = browser.driver().findElements(By.cssSelector(".timeline__item"));
    assertEquals(shown.path("timeline").size(), timeline.size());
    String newest =
        shown.path("timeline").get(shown.path("timeline").size() - 1).path("text").asText();
    assertEquals(
        newest.strip().lines().findFirst().orElseThrow(),
        timeline.get(0).findElement(By.cssSelector(".timeline__text")).getText().strip(),
        "newest entry first, its first line shown");
    assertEquals("polite", browser.driver().findElement(By.id("status")).getAttribute("aria-live"));
    screenshot("sidebar.png");
  }

  @Test
  void showsTheCarriersLatestWordsAndALinkToItsTrackingPage() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderWithCarrierWords(
        ticket, "Arrived at Facility", "https://track.easypost.com/djE6dHJr");
    open(ticket);

    assertTrue(facts().get("Tracking").contains("“Arrived at Facility”"), facts().get("Tracking"));
    WebElement link = browser.driver().findElement(By.cssSelector(".facts__list dd a"));
    assertEquals("https://track.easypost.com/djE6dHJr", link.getAttribute("href"));
    assertEquals("Carrier's tracking page", link.getText().trim());
    assertEquals("_blank", link.getAttribute("target"));
  }

  @Test
  void callsTheBackendThroughTheSecureProxyWithoutTheTokenReachingThePage() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);

    open(ticket);

    SidebarHost.ForwardedRequest request = host.forwarded().get(0);
    assertEquals("GET", request.method());
    assertEquals(backend.baseUrl() + "/api/app/tickets/" + ticket, request.url());
    assertEquals("Bearer " + TOKEN, request.authorization());
    assertFalse(
        browser.driver().getPageSource().contains(TOKEN), "the token stays out of the page");
    Map<?, ?> sent = (Map<?, ?>) script("return window.__zaf.requests[0]");
    assertEquals(Boolean.TRUE, sent.get("secure"));
    assertEquals(
        "Bearer {{setting.backend_token}}", ((Map<?, ?>) sent.get("headers")).get("Authorization"));
  }

  @Test
  void appliesTheSuggestedMacroThroughZaf() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);
    open(ticket);

    button("apply-macro").click();

    waitFor(() -> text("#status").contains("applied"));
    assertEquals(List.of(List.of(DeskBackend.SHIPPED_MACRO_ID)), macroInvocations());
  }

  @Test
  void offersKeepOrReturnOnceTheParcelWasDeliveredAfterTheRefusal() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);
    backend.customerAskedToRefuse(ticket);
    backend.parcelDeliveredToCustomer(ticket);

    open(ticket);

    assertEquals("4.2 · Delivered after refusal — ask keep or return", text(".step__title"));
    assertEquals("Waiting for the customer's answer", text(".step__stage"));
    assertEquals(List.of("customer_keeps", "customer_returns", "recheck"), actionsOffered());
  }

  @Test
  void explainsWhyAMacroMissingFromZendeskCannotBeApplied() throws IOException {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);
    backend.customerAskedToRefuse(ticket);
    backend.parcelDeliveredToCustomer(ticket);

    open(ticket);

    assertEquals("Spark Cancellation (Keep or Return)", text(".macro__title"));
    WebElement apply = button("apply-macro");
    assertFalse(apply.isEnabled());
    assertEquals("macro-missing", apply.getAttribute("aria-describedby"));
    assertTrue(
        text("#macro-missing").startsWith("No macro with this exact title exists in Zendesk"));
    screenshot("sidebar-keep-or-return.png");
  }

  @Test
  void recordsTheRefusalRequestAsTheAgentAndShowsTheReturnedCase() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);
    open(ticket);
    int entriesBefore = browser.driver().findElements(By.cssSelector(".timeline__item")).size();

    button("refusal_requested").click();

    waitFor(() -> text("#status").equals("Recorded. The case is up to date."));
    SidebarHost.ForwardedRequest post = host.forwarded().get(host.forwarded().size() - 1);
    assertEquals("POST", post.method());
    assertEquals(backend.baseUrl() + "/api/app/tickets/" + ticket + "/actions", post.url());
    assertEquals(
        "{\"action\":\"refusal_requested\",\"agent\":{\"id\":9001,\"name\":\"Alex Agent\"}}",
        post.body());
    assertTrue(backend.caseView(ticket).path("refusalRequested").asBoolean());
    assertFalse(actionsOffered().contains("refusal_requested"), "the refusal is asked once");
    assertTrue(
        browser.driver().findElements(By.cssSelector(".timeline__item")).size() > entriesBefore);
  }

  @Test
  void recordsTheCustomersDecisionToKeepTheOrder() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);
    backend.customerAskedToRefuse(ticket);
    backend.parcelDeliveredToCustomer(ticket);
    open(ticket);

    button("customer_keeps").click();

    waitFor(() -> text("#status").equals("Recorded. The case is up to date."));
    assertEquals("order_kept", backend.caseView(ticket).path("stage").asText());
    assertEquals("Order kept", text(".step__stage"));
    assertEquals(List.of(), actionsOffered(), "a closed case offers nothing to record");
  }

  @Test
  void saysSoWhenTheTicketHasNoCase() {
    open(TICKETS.getAndIncrement());

    assertEquals("empty", state());
    assertEquals("No cancellation case for this ticket.", text(".message__text"));
    assertTrue(browser.driver().findElements(By.cssSelector("button")).isEmpty());
  }

  @Test
  void saysTheServiceIsUnreachableWhenNothingListensAtTheUrl() throws IOException {
    host.install(installation(TICKETS.getAndIncrement(), "http://127.0.0.1:" + freePort(), TOKEN));

    browser.open(host.sidebarUrl());

    waitFor(() -> "error".equals(state()));
    assertEquals("Cancellation Desk is unreachable.", text(".message__text"));
    assertTrue(button("retry").isDisplayed());
    screenshot("sidebar-unreachable.png");
  }

  @Test
  void retriesWhenTheAgentAsksAfterAnOutage() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);
    host.install(installation(ticket, backend.baseUrl(), TOKEN));
    host.backendDown(true);
    browser.open(host.sidebarUrl());
    waitFor(() -> "error".equals(state()));

    host.backendDown(false);
    button("retry").click();

    waitFor(() -> "case".equals(state()));
    assertEquals("Pending", facts().get("Logistics request"));
  }

  @Test
  void asksForTheAdminWhenTheTokenIsRejected() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);
    host.install(installation(ticket, backend.baseUrl(), "not-the-token"));

    browser.open(host.sidebarUrl());

    waitFor(() -> "setup".equals(state()));
    assertEquals(
        "Ask your Zendesk admin to set the backend URL and token.", text(".message__text"));
  }

  @Test
  void asksForTheAdminWhenNoBackendUrlIsSet() {
    host.install(installation(TICKETS.getAndIncrement(), "", TOKEN));

    browser.open(host.sidebarUrl());

    waitFor(() -> "setup".equals(state()));
    assertTrue(host.forwarded().isEmpty(), "nothing is sent anywhere");
  }

  @Test
  void refreshesWhenTheTicketIsSavedOrItsTagsChange() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);
    open(ticket);

    backend.customerAskedToRefuse(ticket);
    assertEquals(1L, script("return window.__zaf.fire('ticket.tags.changed', {})"));
    waitFor(() -> !actionsOffered().contains("refusal_requested"));

    backend.parcelDeliveredToCustomer(ticket);
    assertEquals(1L, script("return window.__zaf.fire('ticket.saved', {})"));
    waitFor(() -> text(".step__stage").equals("Waiting for the customer's answer"));
  }

  @Test
  void refreshesWhenAnyoneElseUpdatesTheTicket() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);
    open(ticket);

    backend.parcelDeliveredToCustomer(ticket);
    assertEquals(1L, script("return window.__zaf.fire('ticket.updated', {})"));
    waitFor(() -> text(".step__stage").equals("Waiting for the customer's answer"));
  }

  @Test
  void showsAnAdminTheSetUpProblemThatStatusReports() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);
    host.install(
        new SidebarHost.Installation(
            ticket, AGENT_ID, AGENT_NAME, backend.baseUrl(), TOKEN, "admin"));
    browser.open(host.sidebarUrl());

    // The test service has no PUBLIC_URL, so its status reports that check (among others) failed.
    waitFor(() -> browser.driver().findElement(By.id("setup")).isDisplayed());
    String line = text("#setup");
    assertTrue(line.startsWith("Set-up problem (admins only): "), line);
    assertTrue(line.contains("more; see GET /api/status"), line);
    assertTrue(
        host.forwarded().stream().anyMatch(r -> r.url().endsWith("/api/status")),
        "status is asked through the secure proxy");
  }

  @Test
  void showsAnAgentNothingNew() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);

    open(ticket);

    assertFalse(browser.driver().findElement(By.id("setup")).isDisplayed());
    assertTrue(
        host.forwarded().stream().noneMatch(r -> r.url().endsWith("/api/status")),
        "nothing is asked for an agent");
  }

  @Test
  void resizesToItsContent() {
    long ticket = TICKETS.getAndIncrement();
    backend.shippedOrderInTransit(ticket);

    open(ticket);

    waitFor(
        () ->
            !((List<?>) script("return window.__zaf.invocations.filter(i => i.name === 'resize')"))
                .isEmpty());
  }

  // --- helpers ------------------------------------------------------------------------------

  private static SidebarHost.Installation installation(long ticketId, String url, String token) {
    return new SidebarHost.Installation(ticketId, AGENT_ID, AGENT_NAME, url, token);
  }

  /** Opens the sidebar on a ticket and waits until the case is shown. */
  private void open(long ticketId) {
    host.install(installation(ticketId, backend.baseUrl(), TOKEN));
    browser.open(host.sidebarUrl());
    waitFor(() -> !"loading".equals(state()));
  }

  private String state() {
    return (String) script("return document.body.dataset.state");
  }

  private Object script(String js) {
    return browser.script(js);
  }

  private String text(String css) {
    return browser.driver().findElement(By.cssSelector(css)).getText().trim();
  }

  private WebElement button(String action) {
    return browser.driver().findElement(By.cssSelector("button[data-action='" + action + "']"));
  }

  private List<String> actionsOffered() {
    return browser.driver().findElements(By.cssSelector(".actions button")).stream()
        .map(b -> b.getAttribute("data-action"))
        .toList();
  }

  private Map<String, String> facts() {
    List<WebElement> terms = browser.driver().findElements(By.cssSelector(".facts__list dt"));
    List<WebElement> values = browser.driver().findElements(By.cssSelector(".facts__list dd"));
    Map<String, String> facts = new java.util.LinkedHashMap<>();
    for (int i = 0; i < terms.size(); i++) {
      facts.put(terms.get(i).getText().trim(), values.get(i).getText().trim());
    }
    return facts;
  }

  private List<?> macroInvocations() {
    return (List<?>)
        script("return window.__zaf.invocations.filter(i => i.name === 'macro').map(i => i.args)");
  }

  /** Waits (10 s at most) until the page gets to {@code condition}. */
  private static void waitFor(BooleanSupplier condition) {
    browser.waitUntil("the sidebar to get there", condition::getAsBoolean);
  }

  /** A screenshot of the whole sidebar at the 320 px width it gets in Zendesk. */
  private void screenshot(String name) throws IOException {
    // Chromium keeps windows wider than 320 px, so the width is emulated, then the height measured.
    emulateViewport(320, 600);
    try {
      long height =
          (Long)
              script(
                  "return Math.ceil(document.getElementById('app').getBoundingClientRect().bottom)");
      emulateViewport(320, height);
      Map<String, Object> shot =
          browser.cdp(
              "Page.captureScreenshot",
              Map.of(
                  "format",
                  "png",
                  "clip",
                  Map.of("x", 0, "y", 0, "width", 320, "height", height, "scale", 1)));
      Path dir = Browser.screenshots();
      Files.createDirectories(dir);
      Files.write(
          dir.resolve(name), java.util.Base64.getDecoder().decode((String) shot.get("data")));
    } finally {
      browser.cdp("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  private void emulateViewport(long width, long height) {
    browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
