package spark.desk;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.CREATED;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.check.ServiceChecks;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;
import spark.desk.webhook.Signatures;

/**
 * Issue 14 (parts 2, 3, 4, 7 and 8) through the real server: what anyone can send must neither
 * wedge a ticket, nor reach another URL, nor take credentials elsewhere, nor roll state back.
 */
class HostileInputTest {
  Desk desk;
  CaseDriver cases;

  @BeforeEach
  void start() {
    desk = Desk.start(Map.of(), Desk.START);
    cases = new CaseDriver(desk);
  }

  @AfterEach
  void stop() {
    desk.close();
  }

  private List<String> timeline(long ticketId) {
    List<String> lines = new ArrayList<>();
    for (JsonNode e : desk.caseOf(ticketId).path("timeline")) lines.add(e.path("text").asText());
    return lines;
  }

  private Desk.Reply ticket(long ticketId, String orderNumber, String invocation) {
    return desk.zendeskWebhook(
        Desk.triggerBody(ticketId, CREATED, "cancellation_request", "Cancel", orderNumber),
        invocation);
  }

  /** Requests for tickets' orders: the start-up check's made-up number (contract 8a) aside. */
  private int orderSystemRequests() {
    return (int)
        desk.wire.findAll(getRequestedFor(urlPathMatching("/orders-system.*"))).stream()
            .filter(r -> !r.getUrl().contains(ServiceChecks.MADE_UP))
            .count();
  }

  // ---- part 2: values too long for their columns --------------------------------------------

  @Test
  void anOrderNumberTooLongIsNoOrderNumberAndTheNextUpdateIsWorked() {
    String huge = "SP-" + "1".repeat(300);
    assertEquals(202, ticket(601, huge, "long-1").status());
    cases.awaitInboxWorked();
    JsonNode c = desk.caseOf(601);
    assertEquals("needs_order_number", c.path("stage").asText());
    assertTrue(c.path("orderNumber").isNull());
    assertEquals(0, orderSystemRequests(), "the long value never became a request");

    desk.stubOrder(Desk.order("SP-601", "processing", null, null));
    assertEquals(202, ticket(601, "SP-601", "long-2").status());
    cases.awaitInboxWorked();
    c = desk.caseOf(601);
    assertEquals("SP-601", c.path("orderNumber").asText());
    assertEquals("awaiting_logistics", c.path("stage").asText());
  }

  @Test
  void aHugeAgentNameIsCappedAndTheTicketGoesOn() {
    cases.openNotShipped(602);
    String name = "N".repeat(200 * 1024);
    Desk.Reply r =
        desk.post(
            "/api/app/tickets/602/actions",
            Desk.APP_TOKEN,
            "{\"action\": \"recheck\", \"agent\": {\"id\": 7, \"name\": \"" + name + "\"}}");
    assertEquals(200, r.status(), r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
    String line =
        timeline(602).stream().filter(t -> t.startsWith("Re-check asked by")).findFirst().get();
    assertTrue(line.length() < 200, "the name is capped: " + line.length());

    cases.ticketUpdatedWithTags(602);
    assertEquals(
        202, ticket(602, "SP-602", "after-name").status(), "a later update is still taken in");
    cases.awaitInboxWorked();
  }

  @Test
  void aValueNoRetryCanStoreIsSetAsideVisiblyAndTheNextInputIsWorked() {
    cases.openNotShipped(603);
    // The order system answers a customer e-mail of over a million characters: the case's state
    // no longer fits its column (SQLSTATE 22001), however often it is tried.
    String order = Desk.order("SP-603", "processing", null, null);
    desk.stubOrder(order.replace("jane@example.com", "j".repeat(1_100_000) + "@example.com"));
    Desk.Reply r = cases.agentAction(603, "recheck");
    assertEquals(200, r.status(), r.body());
    assertTrue(
        timeline(603).stream()
            .anyMatch(t -> t.contains("could not be worked on and was set aside")),
        "the timeline says so");
    assertTrue(desk.get("/metrics", null).body().contains("desk_inputs_set_aside_total 1"));

    // The ticket is not blocked: a normal result and a normal update are worked.
    desk.stubOrder(order);
    assertEquals(200, cases.logisticsResult(603, "successful").status());
    assertEquals("refund_escalated", desk.caseOf(603).path("stage").asText());
    assertEquals(202, ticket(603, "SP-603", "after-set-aside").status());
    cases.awaitInboxWorked();
  }

  @Test
  void anUnsignedInvocationIdTooLongIsRefused() {
    Desk.Reply r = ticket(604, "SP-604", "i".repeat(300));
    CaseDriver.assertError(r, 400);
    assertNull(desk.caseOf(604));
  }

  // ---- part 3: dot segments and answers about something else ----------------------------------

  @Test
  void aDotSegmentOrderNumberNeverBecomesARequest() {
    desk.wire.stubFor(get(urlPathMatching("/orders-system.*")).willReturn(okJson("{}")));
    for (String dots : List.of(".", "..")) {
      long id = dots.length() == 1 ? 611 : 612;
      assertEquals(202, ticket(id, dots, "dots-" + id).status());
      cases.awaitInboxWorked();
      assertEquals("needs_order_number", desk.caseOf(id).path("stage").asText());
    }
    assertEquals(0, orderSystemRequests());
  }

  @Test
  void anAnswerAboutAnotherOrderIsALookupFailureNotAnOrder() {
    desk.wire.stubFor(
        get(urlPathEqualTo("/orders-system/orders/SP-613"))
            .willReturn(okJson(Desk.order("SP-999", "processing", null, null))));
    assertEquals(202, ticket(613, "SP-613", "other-order").status());
    cases.awaitInboxWorked();
    JsonNode c = desk.caseOf(613);
    assertTrue(c.path("order").isNull(), c.toString());
    assertNotEquals("awaiting_logistics", c.path("stage").asText());
    assertTrue(
        timeline(613).stream().anyMatch(t -> t.contains("answered order SP-999 for SP-613")),
        timeline(613).toString());
  }

  @Test
  void aTrackerAboutAnotherParcelIsNotTaken() {
    desk.stubOrder(Desk.order("SP-614", "shipped", "1Z614", null));
    desk.wire.stubFor(
        get(urlPathEqualTo("/tracking-system/trackers/1Z614"))
            .willReturn(
                okJson(Desk.tracker("1Z999", "delivered", "2026-11-25T08:00:00Z", "delivered"))));
    assertEquals(202, ticket(614, "SP-614", "other-parcel").status());
    cases.awaitInboxWorked();
    JsonNode c = desk.caseOf(614);
    assertEquals("1Z614", c.path("order").path("trackingNumber").asText());
    assertTrue(c.path("tracking").isNull(), "the other parcel's delivery is not this one's");
  }

  @Test
  void aPushWithAnInvalidTrackingNumberIsRefused() {
    for (String number : List.of("..", "1Z" + "9".repeat(300), "1Z 999")) {
      Desk.Reply r = desk.trackingPush(Desk.tracker(number, "delivered", "2026-11-25T08:00:00Z"));
      CaseDriver.assertError(r, 400);
    }
  }

  // ---- part 4: pagination links ---------------------------------------------------------------

  @Test
  void zendeskNextPageIsFollowedOnlyOnZendeskUrlsHost() {
    WireMockServer elsewhere = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    elsewhere.start();
    try {
      elsewhere.stubFor(
          get(anyUrl())
              .willReturn(
                  okJson(
                      "{\"macros\": [{\"id\": 666, \"title\": \""
                          + CaseDriver.MACRO_SHIPPED
                          + "\"}], \"next_page\": null}")));
      desk.wire.stubFor(
          get(urlPathEqualTo("/api/v2/macros.json"))
              .withQueryParam("page", absent())
              .atPriority(1)
              .willReturn(
                  okJson(
                      "{\"macros\": [], \"next_page\": \""
                          + desk.wire.baseUrl()
                          + "/api/v2/macros.json?page=2&per_page=100\"}")));
      desk.wire.stubFor(
          get(urlPathEqualTo("/api/v2/macros.json"))
              .withQueryParam("page", equalTo("2"))
              .atPriority(1)
              .willReturn(
                  okJson(
                      "{\"macros\": [{\"id\": 1, \"title\": \""
                          + CaseDriver.MACRO_NOT_SHIPPED
                          + "\"}], \"next_page\": \""
                          + elsewhere.baseUrl()
                          + "/api/v2/macros.json?page=3\"}")));
      desk.app.macroIds().refresh();
      cases.openNotShipped(621);
      JsonNode view = cases.view(621);
      assertEquals(1, view.path("suggestedMacro").path("id").asLong(), "page 2 was followed");
      assertEquals(0, elsewhere.getAllServeEvents().size(), "no request (and no token) elsewhere");
    } finally {
      elsewhere.stop();
    }
  }

  // ---- part 7: repeated 401s --------------------------------------------------------------

  @Test
  void repeatedRefusedTokensAreSlowedDownPerAddress() {
    for (int i = 0; i < 20; i++)
      assertEquals(401, desk.get("/api/cases", "wrong-token-" + i).status());
    Desk.Reply limited = desk.get("/api/cases", "wrong-token");
    CaseDriver.assertError(limited, 429);
    Desk.Reply evenRight = desk.get("/api/cases", Desk.ADMIN_TOKEN);
    assertEquals(429, evenRight.status(), "the address waits, whatever it sends");
    // Bad signatures count the same way and are refused alike while the address waits.
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    Desk.Reply push =
        desk.send(
            HttpRequest.newBuilder(URI.create(desk.baseUrl() + "/webhooks/tracking"))
                .header("X-Tracking-Signature", Signatures.sign("not-the-secret", "", body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    assertEquals(429, push.status());
    assertEquals(200, desk.get("/health", null).status(), "health is never limited");

    cases.after(Duration.ofMinutes(1));
    assertEquals(200, desk.get("/api/cases", Desk.ADMIN_TOKEN).status(), "a minute later");
  }

  @Test
  void theLimitedAnswerSaysWhenToComeBack() throws Exception {
    for (int i = 0; i < 21; i++) desk.get("/api/app/tickets/1", "nope");
    var r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(desk.baseUrl() + "/api/app/tickets/1"))
                    .header("Authorization", "Bearer nope")
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(429, r.statusCode());
    long wait = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(wait >= 1 && wait <= 60, "Retry-After " + wait);
  }

  // ---- part 8: replayed tracking pushes -------------------------------------------------------

  @Test
  void aReplayedOlderPushChangesNothing() {
    desk.wire.stubFor(
        get(urlPathEqualTo("/tracking-system/trackers/1ZREPLAY")).willReturn(notFound()));
    String newer =
        Desk.tracker("1ZREPLAY", "out_for_delivery", "2026-11-26T08:00:00Z", "in_transit");
    String older = Desk.tracker("1ZREPLAY", "in_transit", "2026-11-25T08:00:00Z", "in_transit");
    desk.stubOrder(Desk.order("SP-631", "shipped", "1ZREPLAY", null));
    assertEquals(202, ticket(631, "SP-631", "replay-631").status());
    cases.awaitInboxWorked();

    Desk.Reply pushed = desk.trackingPush(newer);
    assertEquals(202, pushed.status(), pushed.body());
    assertEquals(1, pushed.json().path("cases").asInt(), "case 631 watches the parcel");
    cases.awaitInboxWorked();
    assertEquals("out_for_delivery", desk.caseOf(631).path("tracking").path("status").asText());

    // A replay to a watching case is not even queued for it.
    int lines = timeline(631).size();
    Desk.Reply again = desk.trackingPush(older);
    assertTrue(again.status() == 200 || again.status() == 202, again.body());
    assertEquals(0, again.json().path("cases").asInt(), again.body());
    cases.awaitInboxWorked();
    assertEquals(lines, timeline(631).size(), "nothing new on the timeline");
    assertEquals("out_for_delivery", desk.caseOf(631).path("tracking").path("status").asText());
  }

  @Test
  void aPushForAParcelNoCaseWatchesIsNotStored() {
    Desk.Reply stranger =
        desk.trackingPush(
            Desk.tracker("1ZSTRANGER", "delivered", "2026-11-26T08:00:00Z", "delivered"));
    assertTrue(stranger.status() == 200 || stranger.status() == 202, stranger.body());
    assertEquals(0, stranger.json().path("cases").asInt());
    long stored = desk.storedTrackers("1ZSTRANGER");
    assertEquals(0, stored, "contract 2, RETENTION: no raw input kept that no case needs");
  }
}
