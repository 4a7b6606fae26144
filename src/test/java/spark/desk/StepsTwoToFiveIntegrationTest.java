package spark.desk;

import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.assertError;
import static spark.desk.testing.CaseDriver.note;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;

/**
 * Steps 2 to 5 when inputs arrive out of order (a late logistics result, an early customer answer,
 * an agent undoing a tag, repeated news after the refund escalation), and the ops view of cases.
 * Happy paths per step live beside their concept: LogisticsApiTest, LogisticsFollowupTest,
 * TrackingWatchTest, CustomerDecisionTest, AgentActionsTest.
 */
class StepsTwoToFiveIntegrationTest {
  static final Duration POLL = Duration.ofHours(4);
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

  static long escalations(List<JsonNode> updates) {
    return updates.stream()
        .filter(
            u ->
                u.path("ticket").has("group_id")
                    || tags(u.path("ticket")).contains("cxl_refund_escalated"))
        .count();
  }

  @Test
  void logisticsResultForACaseThatHasEndedIsRecordedAndChangesNothingElse() {
    cases.openShipped(701, true);
    cases.push(701, "delivered", "2026-11-26T09:12:55Z", "in_transit", "delivered");
    cases.update(701, 2);
    assertEquals(200, cases.agentAction(701, "customer_keeps").status());
    cases.update(701, 3);

    Desk.Reply late = cases.logisticsResult(701, "successful");
    assertEquals(200, late.status(), late.body());
    assertEquals("successful", late.json().path("result").asText());
    assertEquals("order_kept", late.json().path("customerOutcome").asText());

    JsonNode recorded = cases.update(701, 4);
    assertTrue(tags(recorded).contains("cxl_logistics_successful"));
    assertFalse(
        tags(recorded).contains("cxl_refund_escalated"),
        "a kept order is not refunded: " + tags(recorded));
    assertFalse(recorded.has("group_id") || recorded.has("status"), recorded.toString());
    JsonNode view = cases.view(701);
    assertEquals("order_kept", view.path("stage").asText());
    assertFalse(view.path("refundEscalated").asBoolean());
  }

  @Test
  void customerAnswerGivenBeforeTheDeliveryIsKeptAndAppliedWhenTheParcelArrives() {
    cases.openShipped(702, true);
    cases.ticketUpdatedWithTags(702, "cxl_customer_keeps");
    assertEquals(1, cases.writes(702).size(), "nothing to write while the parcel is on its way");
    assertEquals("watching_tracking", cases.view(702).path("stage").asText());

    cases.stubParcel(702, "delivered", "2026-11-26T12:00:00Z", "in_transit", "delivered");
    cases.after(POLL);
    JsonNode delivered = cases.update(702, 2);
    assertTrue(note(delivered).startsWith("Step 4.2"), note(delivered));
    assertFalse(
        note(delivered).contains(CaseDriver.MACRO_KEEP_OR_RETURN),
        "the customer already answered: " + note(delivered));
    JsonNode kept = cases.update(702, 3);
    assertTrue(note(kept).startsWith("Step 5.1"), note(kept));
    assertTrue(tags(kept).contains("cxl_order_kept"));
    assertEquals("solved", kept.path("status").asText());
    JsonNode view = cases.view(702);
    assertEquals("order_kept", view.path("stage").asText());
    assertTrue(view.path("suggestedMacro").isNull());
  }

  @Test
  void agentRemovingTheRefusalTagChangesNothing() {
    cases.openShipped(703, true);
    cases.update(703, 1);
    Set<String> withoutRefusal = new LinkedHashSet<>(cases.zendeskTags(703));
    withoutRefusal.add("cancellation_request");
    withoutRefusal.remove("cxl_refusal_requested");
    cases.sendSnapshot(703, withoutRefusal);

    JsonNode view = cases.view(703);
    assertTrue(view.path("refusalRequested").asBoolean());
    assertEquals("watching_tracking", view.path("stage").asText());
    assertEquals(1, cases.writes(703).size());
    int reads = cases.trackerReads(703);
    cases.after(POLL);
    assertEquals(reads + 1, cases.trackerReads(703), "the watch goes on");
  }

  @Test
  void newsAfterTheRefundEscalationNeverEscalatesAgain() {
    cases.openShipped(704, true);
    assertEquals(200, cases.logisticsResult(704, "successful").status());
    assertTrue(note(cases.update(704, 2)).startsWith("Step 3.1"));

    JsonNode push =
        cases
            .push(704, "return_to_sender", "2026-11-26T09:12:58Z", "in_transit", "return_to_sender")
            .json();
    assertEquals(0, push.path("cases").asInt(), "an ended case watches no parcel");
    cases.stubParcel(
        704, "return_to_sender", "2026-11-26T09:12:58Z", "in_transit", "return_to_sender");
    assertEquals(200, cases.agentAction(704, "recheck").status());
    assertEquals(200, cases.agentAction(704, "refusal_requested").status());
    cases.after(POLL.multipliedBy(3));
    cases.ticketUpdatedWithTags(704, "cxl_customer_returns");

    assertEquals(
        2, cases.writes(704).size(), "no decision after the escalation: " + cases.writes(704));
    assertEquals(2, cases.awaitAllApplied(704));
    assertEquals(1, escalations(desk.zendeskUpdates(704)));
    assertEquals("refund_escalated", cases.view(704).path("stage").asText());
  }

  @Test
  void returnToSenderSeenTwiceEscalatesOnce() {
    cases.openShipped(705, true);
    cases.push(705, "return_to_sender", "2026-11-26T09:12:50Z", "in_transit", "return_to_sender");
    cases.update(705, 2);
    cases.push(
        705, "delivered", "2026-11-26T09:12:59Z", "in_transit", "return_to_sender", "delivered");
    cases.stubParcel(
        705, "return_to_sender", "2026-11-26T09:12:50Z", "in_transit", "return_to_sender");
    cases.after(POLL);

    cases.awaitInboxWorked();
    assertEquals(2, cases.awaitAllApplied(705));
    assertEquals(1, escalations(desk.zendeskUpdates(705)));
  }

  @Test
  void opsListCasesByStageWithoutWrites() {
    cases.openNotShipped(706);
    assertEquals(200, cases.logisticsResult(706, "successful").status());
    cases.openNotShipped(707);

    Desk.Reply escalated = desk.get("/api/cases?stage=refund_escalated", Desk.ADMIN_TOKEN);
    assertEquals(200, escalated.status(), escalated.body());
    JsonNode list = escalated.json().path("cases");
    assertEquals(1, list.size(), list.toString());
    assertEquals(706, list.get(0).path("ticketId").asLong());
    assertEquals("refund_escalated", list.get(0).path("stage").asText());
    assertTrue(list.get(0).path("refundEscalated").asBoolean());
    assertFalse(list.get(0).has("writes"), "the list has no writes");

    JsonNode waiting =
        desk.get("/api/cases?stage=awaiting_logistics", Desk.ADMIN_TOKEN).json().path("cases");
    assertEquals(1, waiting.size());
    assertEquals(707, waiting.get(0).path("ticketId").asLong());
  }

  @Test
  void opsListOfAnUnknownStageIsABadRequest() {
    assertError(desk.get("/api/cases?stage=bogus", Desk.ADMIN_TOKEN), 400);
    assertError(desk.get("/api/cases?stage=refund_escalated", Desk.APP_TOKEN), 401);
  }

  @Test
  void opsCaseViewListsEveryWriteAsAppliedInLiveMode() {
    cases.openNotShipped(708);
    assertEquals(200, cases.logisticsResult(708, "successful").status());
    cases.awaitAllApplied(708);

    JsonNode view = desk.caseOf(708);
    JsonNode writes = view.path("writes");
    assertEquals(2, writes.size());
    for (JsonNode w : writes) {
      Set<String> fields = new TreeSet<>();
      w.fieldNames().forEachRemaining(fields::add);
      assertTrue(
          fields.containsAll(
              Set.of("at", "step", "tags", "note", "macro", "groupId", "status", "applied")),
          fields.toString());
      assertTrue(w.path("applied").asBoolean(), w.toString());
    }
    assertEquals("1.1", writes.get(0).path("step").asText());
    assertEquals(CaseDriver.MACRO_NOT_SHIPPED, writes.get(0).path("macro").asText());
    JsonNode escalation = writes.get(1);
    assertEquals("3.1", escalation.path("step").asText());
    assertEquals(Desk.REFUND_GROUP, escalation.path("groupId").asLong());
    assertTrue(escalation.path("tags").toString().contains("cxl_refund_escalated"));
    assertEquals(
        note(cases.update(708, 2)),
        escalation.path("note").asText(),
        "the write is what Zendesk received");
  }
}
