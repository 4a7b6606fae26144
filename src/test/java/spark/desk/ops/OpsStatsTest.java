package spark.desk.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;
import spark.desk.web.Csv;

/**
 * /api/stats, /api/cases.csv and /metrics over a history made through the real entry points (signed
 * webhooks, the logistics API, tracking pushes, the sidebar's actions) on a settable clock. The
 * clock starts on Thursday 26 November 2026, 09:13 UTC ({@link Desk#START}); the calendar is the
 * default one (UTC, Monday to Friday).
 *
 * <ul>
 *   <li>101: not shipped; the order system is down at first, so its step-1 note comes 30 s after
 *       the webhook. Its logistics request stays pending (open, awaiting logistics).
 *   <li>102: not shipped; logistics answers "successful" on Monday 10:13:30, so step 3.1 and the
 *       refund escalation: 49.01 working hours (Thursday from 09:13, Friday, Monday to 10:13:30;
 *       the weekend counts nothing).
 *   <li>103: shipped (DHL), refusal asked at once; returned to sender 2 days and 30 s later (4.1,
 *       refund).
 *   <li>104: shipped (UPS), refusal asked at once; delivered anyway 3 days and 30 s later (4.2),
 *       then the customer keeps it (5.1).
 *   <li>105: order not found (needs a person).
 * </ul>
 *
 * <p>Each move of the clock runs what fell due, as the worker's tick would: on Saturday the step-3
 * check finds 101 and 102 unanswered (101 then needs a person: logistics overdue).
 *
 * <ul>
 * </ul>
 */
class OpsStatsTest {
  static final Instant T0 = Desk.START;
  static Desk desk;
  static CaseDriver cases;

  @BeforeAll
  static void history() {
    history(Map.of());
  }

  /** {@code env}: the database, for {@link OpsStatsPostgresTest}. */
  static void history(Map<String, String> env) {
    desk = Desk.start(env, T0);
    cases = new CaseDriver(desk);
    cases.zendeskKeepsTags();
    // 101: the order system fails; the lookup is retried 30 s later.
    desk.wire.stubFor(
        get(urlPathEqualTo("/orders-system/orders/SP-101")).willReturn(serverError()));
    webhook(101, "cancellation_request");
    cases.awaitInboxWorked();
    assertEquals(0, cases.updateCount(101));

    cases.openNotShipped(102);
    openShipped(103, "DHL");
    openShipped(104, "UPS");
    desk.stubOrderMissing("SP-105");
    webhook(105, "cancellation_request");
    cases.update(105, 1);

    desk.stubOrder(Desk.order("SP-101", "processing", null, null));
    // Every note so far counted as sent before the clock moves (Zendesk receiving a PUT comes
    // just before the service records it as applied, at the clock's time).
    for (long t : new long[] {102, 103, 104, 105}) cases.awaitAllApplied(t);
    cases.after(Duration.ofSeconds(30));
    cases.update(101, 1);
    allApplied();

    // Saturday 09:13:30: the step-3 check of Friday 10:00 has found 101 and 102 unanswered.
    cases.after(Duration.ofDays(2));
    allApplied();
    assertEquals(1, cases.writes(101, "3").size());
    cases.push(103, "return_to_sender", "2026-11-28T09:00:00Z", "return_to_sender");
    cases.awaitInboxWorked();
    allApplied();

    cases.after(Duration.ofDays(1)); // Sunday 09:13:30
    cases.push(104, "delivered", "2026-11-29T09:00:00Z", "delivered");
    cases.awaitInboxWorked();
    allApplied();
    assertEquals(200, cases.agentAction(104, "customer_keeps").status());
    allApplied();

    cases.after(Duration.ofHours(25)); // Monday 10:13:30
    assertEquals(200, cases.logisticsResult(102, "successful").status());
    allApplied();
    assertEquals(1, cases.writes(102, "3.1").size());
  }

  static void allApplied() {
    for (long t : new long[] {101, 102, 103, 104, 105}) cases.awaitAllApplied(t);
  }

  @AfterAll
  static void stop() {
    if (desk != null) desk.close();
  }

  static void webhook(long ticketId, String tags) {
    assertEquals(
        202,
        desk.zendeskWebhook(
                Desk.triggerBody(
                    ticketId,
                    CaseDriver.CREATED,
                    tags,
                    "Cancel my order",
                    CaseDriver.order(ticketId)),
                "open-" + ticketId)
            .status());
  }

  static void openShipped(long ticketId, String carrier) {
    desk.stubOrder(
        Desk.order(CaseDriver.order(ticketId), "shipped", CaseDriver.parcel(ticketId), null)
            .replace("\"UPS\"", "\"" + carrier + "\""));
    cases.stubParcel(ticketId, "in_transit", "2026-11-26T08:00:00Z", "in_transit");
    webhook(ticketId, "cancellation_request cxl_refusal_requested");
    cases.update(ticketId, 1);
  }

  static JsonNode stats(String query) {
    Desk.Reply r = desk.get("/api/stats" + query, Desk.ADMIN_TOKEN);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @Test
  void funnelCountsEveryStepReached() {
    JsonNode s = stats("?from=2026-11-26&to=2026-11-30");
    assertEquals("2026-11-26", s.path("from").asText());
    assertEquals("2026-11-30", s.path("to").asText());
    JsonNode f = s.path("funnel");
    long[] expected = {5, 2, 2, 0, 1, 0, 1, 1, 1, 0, 2};
    String[] keys = {
      "requests", "1.1", "1.2", "1.3", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2", "refundEscalated"
    };
    for (int i = 0; i < keys.length; i++)
      assertEquals(expected[i], f.path(keys[i]).asLong(), keys[i] + " in " + f);
  }

  @Test
  void openCasesByStageAndWhatNeedsAPerson() {
    JsonNode s = stats("?from=2026-11-26&to=2026-11-30");
    assertEquals(1, s.path("openByStage").path("awaiting_logistics").asLong());
    assertEquals(1, s.path("openByStage").path("order_not_found").asLong());
    assertEquals(0, s.path("openByStage").path("watching_tracking").asLong());
    assertFalse(s.path("openByStage").has("refund_escalated"), "ended stages are not open");
    JsonNode now = desk.get("/api/ops/now", Desk.ADMIN_TOKEN).json();
    assertEquals(2, s.path("needsAttention").asLong(), now.toString());
    // Oldest first: 105's note of Thursday, then 101's overdue note of Saturday.
    JsonNode attention = now.path("needsAttention");
    assertEquals(105, attention.get(0).path("ticketId").asLong());
    assertEquals("order_not_found", attention.get(0).path("reason").asText());
    assertEquals(101, attention.get(1).path("ticketId").asLong());
    assertEquals("logistics_overdue", attention.get(1).path("reason").asText());
    assertEquals(
        T0.plus(Duration.ofDays(2)).plusSeconds(30).toString(),
        attention.get(1).path("since").asText());
    List<Long> open = new ArrayList<>();
    now.path("open").forEach(c -> open.add(c.path("ticketId").asLong()));
    assertEquals(List.of(101L, 105L), open.stream().sorted().toList());
    assertEquals(desk.wire.baseUrl() + "/agent/tickets/", now.path("ticketUrl").asText());
  }

  @Test
  void timingsAreMediansAndP90sOfEachCase() {
    JsonNode t = stats("?from=2026-11-26&to=2026-11-30").path("timings");
    // Step-1 notes: 0 s (102, 103, 104, 105) and 30 s (101). p90 between ranks 4 and 5: 0.6 of 30.
    assertSpread(t.path("webhookToNoteSeconds"), 0, 18, 5);
    // One answered request (102): Thursday 14 h 47 min + Friday 24 h + Monday 10 h 13 min 30 s.
    double hours = (14 * 60 + 47) / 60.0 + 24 + (10 * 3600 + 13 * 60 + 30) / 3600.0;
    assertSpread(t.path("logisticsResultWorkingHours"), hours, hours, 1);
    // Refusal (at the first webhook, T0) to 4.1 (103: 2 d 30 s) and 4.2 (104: 3 d 30 s).
    double d103 = days(Duration.ofDays(2).plusSeconds(30));
    double d104 = days(Duration.ofDays(3).plusSeconds(30));
    assertSpread(t.path("refusalToOutcomeDays"), (d103 + d104) / 2, d103 + 0.9 * (d104 - d103), 2);
    // Request to refund: 103 after 2 d 30 s, 102 after 4 d 1 h 30 s.
    double d102 = days(Duration.ofDays(4).plusHours(1).plusSeconds(30));
    assertSpread(t.path("requestToRefundDays"), (d103 + d102) / 2, d103 + 0.9 * (d102 - d103), 2);
  }

  @Test
  void weeklyTimingsAndCarriers() {
    JsonNode s = stats("?from=2026-11-26&to=2026-11-30");
    assertEquals(1, s.path("weekly").size(), "every request was in the week of Monday 23 Nov");
    assertEquals("2026-11-23", s.path("weekly").get(0).path("week").asText());
    assertEquals(
        5, s.path("weekly").get(0).path("timings").path("webhookToNoteSeconds").path("n").asLong());
    JsonNode carriers = s.path("carriers");
    assertEquals(2, carriers.size(), carriers.toString());
    // Worst first: the one whose refused parcel was delivered anyway.
    assertEquals("UPS", carriers.get(0).path("carrier").asText());
    assertEquals(1, carriers.get(0).path("refusals").asLong());
    assertEquals(0, carriers.get(0).path("returnedToSender").asLong());
    assertEquals(1, carriers.get(0).path("deliveredAnyway").asLong());
    assertEquals("DHL", carriers.get(1).path("carrier").asText());
    assertEquals(1, carriers.get(1).path("returnedToSender").asLong());
    assertEquals(0, carriers.get(1).path("deliveredAnyway").asLong());
  }

  @Test
  void aPeriodWithoutRequestsCountsNothingButStillShowsWhatIsOpen() {
    JsonNode s = stats("?from=2026-11-01&to=2026-11-25");
    assertEquals(0, s.path("funnel").path("requests").asLong());
    assertEquals(0, s.path("timings").path("webhookToNoteSeconds").path("n").asLong());
    assertTrue(s.path("timings").path("webhookToNoteSeconds").path("p50").isNull());
    assertEquals(1, s.path("openByStage").path("awaiting_logistics").asLong());
  }

  @Test
  void theDefaultPeriodIsTheLast30DaysOfTheClock() {
    JsonNode s = stats("");
    assertEquals("2026-11-30", s.path("to").asText());
    assertEquals("2026-11-01", s.path("from").asText());
    assertEquals(5, s.path("funnel").path("requests").asLong());
  }

  @Test
  void badPeriodsAreRefusedAndTheTokenIsRequired() {
    CaseDriver.assertError(desk.get("/api/stats?from=26-11-2026", Desk.ADMIN_TOKEN), 400);
    CaseDriver.assertError(
        desk.get("/api/stats?from=2026-11-27&to=2026-11-26", Desk.ADMIN_TOKEN), 400);
    CaseDriver.assertError(desk.get("/api/stats", Desk.APP_TOKEN), 401);
    CaseDriver.assertError(desk.get("/api/cases.csv", null), 401);
    CaseDriver.assertError(desk.get("/api/ops/now", Desk.LOGISTICS_TOKEN), 401);
  }

  @Test
  void csvHasOneRowPerCaseWithEachStepsTime() {
    Desk.Reply r = desk.get("/api/cases.csv?from=2026-11-26&to=2026-11-30", Desk.ADMIN_TOKEN);
    assertEquals(200, r.status(), r.body());
    List<String> lines = Arrays.asList(r.body().split("\r\n"));
    List<String> header = Arrays.asList(lines.get(0).split(","));
    assertEquals(6, lines.size(), r.body());
    for (String line : lines) assertEquals(header.size(), line.split(",", -1).length, line);
    Map<String, String> row102 = row(header, lines, "102");
    assertEquals(desk.wire.baseUrl() + "/agent/tickets/102", row102.get("ticketUrl"));
    assertEquals("SP-102", row102.get("orderNumber"));
    assertEquals("refund_escalated", row102.get("stage"));
    assertEquals("3.1", row102.get("sopStep"));
    assertEquals(T0.toString(), row102.get("requestReceived"));
    assertEquals(T0.toString(), row102.get("step1_1"));
    assertEquals("successful", row102.get("logisticsResult"));
    String monday = T0.plus(Duration.ofDays(4).plusHours(1).plusSeconds(30)).toString();
    assertEquals(monday, row102.get("step3_1"));
    assertEquals(monday, row102.get("refundEscalated"));
    assertEquals("", row102.get("step4_1"));
    Map<String, String> row104 = row(header, lines, "104");
    assertEquals("UPS", row104.get("carrier"));
    assertEquals("delivered", row104.get("trackingOutcome"));
    assertEquals("order_kept", row104.get("customerOutcome"));
    assertEquals("5.1", row104.get("sopStep"));
    assertEquals(T0.toString(), row104.get("refusalAsked"));
    Map<String, String> row101 = row(header, lines, "101");
    assertEquals(T0.plusSeconds(30).toString(), row101.get("step1NoteAt"));
    assertEquals("pending", row101.get("logisticsResult"));
  }

  @Test
  void csvCellsAreDefusedAndQuoted() {
    assertEquals("\"'=HYPERLINK(1)\"", Csv.cell("=HYPERLINK(1)"));
    assertEquals("\"a,b\"", Csv.cell("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", Csv.cell("say \"hi\""));
    assertEquals("", Csv.cell(null));
  }

  @Test
  void retryOfTheOrderNotFoundCaseLooksTheOrderUpAgain() {
    int before = cases.orderReads(105);
    CaseDriver.assertError(desk.post("/api/cases/104/retry", Desk.ADMIN_TOKEN, ""), 409);
    CaseDriver.assertError(desk.post("/api/cases/999/retry", Desk.ADMIN_TOKEN, ""), 404);
    CaseDriver.assertError(desk.post("/api/cases/105/retry", Desk.APP_TOKEN, ""), 401);
    assertEquals(before, cases.orderReads(105), "a refused retry changes nothing");
    Desk.Reply r = desk.post("/api/cases/105/retry", Desk.ADMIN_TOKEN, "");
    assertEquals(200, r.status(), r.body());
    assertTrue(r.json().path("recheck").asBoolean());
    assertEquals(before + 1, cases.orderReads(105));
  }

  @Test
  void metricsAreThePrometheusTextFormatWithEveryDeskMeter() {
    Desk.Reply r = desk.get("/metrics", null);
    assertEquals(200, r.status());
    String text = r.body();
    Map<String, String> types = new java.util.HashMap<>();
    Map<String, Double> samples = new java.util.HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] p = line.split(" ");
        types.put(p[2], p[3]);
      } else if (!line.startsWith("#") && !line.isBlank()) {
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    assertEquals("counter", types.get("desk_decisions_total"), types.toString());
    assertEquals("counter", types.get("desk_zendesk_requests_total"));
    assertEquals("gauge", types.get("desk_zendesk_budget_used_ratio"));
    assertEquals("histogram", types.get("desk_webhook_to_note_seconds"));
    assertEquals("gauge", types.get("desk_open_cases"));
    assertEquals("gauge", types.get("desk_needs_attention"));
    assertEquals("gauge", types.get("desk_inbox_pending"));
    assertTrue(types.keySet().stream().anyMatch(n -> n.startsWith("hikaricp_connections")), "pool");
    assertTrue(
        types.keySet().stream().anyMatch(n -> n.startsWith("dbscheduler_task")),
        "work queue: " + types.keySet());
    assertTrue(types.keySet().stream().anyMatch(n -> n.startsWith("jvm_memory")), "JVM");

    assertEquals(2.0, samples.get("desk_decisions_total{step=\"1.1\"}"));
    assertEquals(2.0, samples.get("desk_decisions_total{step=\"1.2\"}"));
    assertEquals(1.0, samples.get("desk_decisions_total{step=\"5.1\"}"));
    assertEquals(1.0, samples.get("desk_open_cases{stage=\"awaiting_logistics\"}"));
    assertEquals(2.0, samples.get("desk_needs_attention"));
    int overdueNotes = 0;
    for (long t : new long[] {101, 102, 103, 104, 105}) overdueNotes += cases.writes(t, "3").size();
    assertEquals(overdueNotes, samples.get("desk_decisions_total{step=\"3\"}"));
    // Five first step-1 notes: four at once, one (101) after 30 s.
    assertEquals(5.0, samples.get("desk_webhook_to_note_seconds_count"));
    assertEquals(30.0, samples.get("desk_webhook_to_note_seconds_sum"), 0.001);
    assertEquals(4.0, samples.get("desk_webhook_to_note_seconds_bucket{le=\"1.0\"}"));
    assertTrue(
        samples.get("desk_zendesk_requests_total{kind=\"update\",outcome=\"ok\"}") >= 12,
        "every decision's update was sent");
  }

  private static Map<String, String> row(List<String> header, List<String> lines, String ticket) {
    for (String line : lines) {
      String[] cells = line.split(",", -1);
      if (cells[0].equals(ticket)) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < header.size(); i++) m.put(header.get(i), cells[i]);
        return m;
      }
    }
    throw new AssertionError("no row for ticket " + ticket);
  }

  private static double days(Duration d) {
    return d.getSeconds() / 86_400.0;
  }

  private static void assertSpread(JsonNode s, double p50, double p90, long n) {
    assertEquals(n, s.path("n").asLong(), s.toString());
    assertEquals(p50, s.path("p50").asDouble(), 0.006, "p50 of " + s);
    assertEquals(p90, s.path("p90").asDouble(), 0.006, "p90 of " + s);
  }
}
