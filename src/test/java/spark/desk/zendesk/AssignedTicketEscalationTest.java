package spark.desk.zendesk;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static spark.desk.testing.CaseDriver.note;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;
import spark.desk.testing.ZendeskNotes;

/**
 * Contract 7: a ticket assigned to an agent outside the refunds team is still escalated. The
 * stand-in answers as Zendesk does when {@code group_id} names a group the current assignee is not
 * a member of: 422 "Assignee: is not a member of the group" (Group Memberships,
 * developer.zendesk.com/api-reference/ticketing/groups/group_memberships/), unless the same update
 * clears the assignee.
 */
class AssignedTicketEscalationTest {
  private Desk desk;
  private CaseDriver cases;

  @BeforeEach
  void start() {
    desk = Desk.start(Map.of(), Desk.START);
    cases = new CaseDriver(desk);
    // Every ticket is assigned to agent 5001, who is not in the refunds group.
    desk.wire.stubFor(
        get(urlPathMatching("/api/v2/tickets/\\d+\\.json"))
            .atPriority(8)
            .willReturn(
                okJson(
                    "{\"ticket\": {\"id\": 1, \"tags\": [], \"assignee_id\": 5001, \"group_id\": 100,"
                        + " \"updated_at\": \"2026-11-26T09:00:00Z\", \"custom_fields\": []}}")));
    desk.wire.stubFor(
        put(urlPathMatching("/api/v2/tickets/\\d+\\.json"))
            .withRequestBody(matchingJsonPath("$.ticket.group_id"))
            .atPriority(3)
            .willReturn(
                okJson(
                        "{\"error\": \"RecordInvalid\", \"description\": \"Record validation errors\","
                            + " \"details\": {\"assignee\": [{\"description\":"
                            + " \"Assignee: is not a member of the group\"}]}}")
                    .withStatus(422)));
    desk.wire.stubFor(
        put(urlPathMatching("/api/v2/tickets/\\d+\\.json"))
            .withRequestBody(matchingJsonPath("$.ticket.group_id"))
            .withRequestBody(containing("\"assignee_id\":null"))
            .atPriority(2)
            .willReturn(okJson("{\"ticket\": {}}").withTransformers(ZendeskNotes.NAME)));
  }

  @AfterEach
  void stop() {
    desk.close();
  }

  @Test
  void assignedTicketIsEscalatedAtStep3_1WithTheAssigneeCleared() {
    cases.openNotShipped(901);
    assertEquals(200, cases.logisticsResult(901, "successful").status());

    JsonNode escalation = cases.update(901, 2);

    assertTrue(note(escalation).startsWith("Step 3.1"), note(escalation));
    assertEscalated(escalation);
    assertEquals(2, cases.awaitAllApplied(901));
    assertEquals("refund_escalated", cases.view(901).path("stage").asText());
  }

  @Test
  void assignedTicketIsEscalatedAtStep4_1WithTheAssigneeCleared() {
    cases.openShipped(902, true);
    cases.push(902, "return_to_sender", "2026-11-26T09:12:50Z", "in_transit", "return_to_sender");

    JsonNode escalation = cases.update(902, 2);

    assertTrue(note(escalation).startsWith("Step 4.1"), note(escalation));
    assertEscalated(escalation);
    assertEquals(2, cases.awaitAllApplied(902));
    assertEquals("refund_escalated", cases.view(902).path("stage").asText());
  }

  private static void assertEscalated(JsonNode ticket) {
    assertEquals(Desk.REFUND_GROUP, ticket.path("group_id").asLong());
    assertTrue(ticket.has("assignee_id") && ticket.path("assignee_id").isNull(), ticket.toString());
    assertTrue(tags(ticket).contains("cxl_refund_escalated"), ticket.toString());
  }
}
