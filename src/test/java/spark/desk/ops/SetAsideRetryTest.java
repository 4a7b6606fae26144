package spark.desk.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;
import spark.desk.testing.WorkQueue;

/**
 * An input the service cannot work on (issue 8, part 7) is set aside visibly, through the real
 * entry points: counted on {@code /metrics}, listed as {@code input_set_aside} by {@code
 * /api/ops/now} and {@code /api/stats}, and once its cause is fixed, {@code POST
 * /api/cases/{ticketId}/retry} has it worked exactly once.
 */
class SetAsideRetryTest {
  Desk desk;
  CaseDriver cases;

  @BeforeEach
  void start() {
    desk = Desk.start(database(), Desk.START);
    cases = new CaseDriver(desk);
  }

  /** The service's database settings: an in-memory H2 here. */
  Map<String, String> database() {
    return Map.of();
  }

  @AfterEach
  void stop() {
    if (desk != null) desk.close();
  }

  @Test
  void aFirstWebhookSetAsideIsCountedListedAndItsNoteSentOnceWhenRetried() {
    // The order system answers with a customer e-mail of over a million characters: the new case
    // does not fit its column (SQLSTATE 22001), however often it is tried. The ticket has no case.
    String order = Desk.order(CaseDriver.order(805), "processing", null, null);
    desk.stubOrder(order.replace("jane@example.com", "j".repeat(1_100_000) + "@example.com"));
    assertEquals(202, webhook(805, "open-805").status());
    Desk.await("the input set aside", () -> setAsideTotal() == 1);
    WorkQueue.awaitEmpty(desk);
    assertEquals(0, cases.updateCount(805), "nothing reached Zendesk");

    assertEquals(List.of("input_set_aside"), reasons(805), "listed for ops");
    assertEquals(1, stats().path("needsAttention").asLong(), "counted by /api/stats");

    // The order system is fixed; ops retries the ticket.
    desk.stubOrder(order);
    Desk.Reply retried = desk.post("/api/cases/805/retry", Desk.ADMIN_TOKEN, "");
    assertEquals(200, retried.status(), retried.body());
    assertEquals(1, retried.json().path("inputs").asInt(), retried.body());

    JsonNode note = cases.update(805, 1);
    assertTrue(CaseDriver.note(note).startsWith("Step 1.1"), CaseDriver.note(note));
    WorkQueue.awaitEmpty(desk);
    assertEquals(1, cases.updateCount(805), "the note reached Zendesk once");
    assertEquals("awaiting_logistics", desk.caseOf(805).path("stage").asText());
    assertEquals(List.of(), reasons(805), "no longer listed");
    assertEquals(0, stats().path("needsAttention").asLong());
    assertEquals(1, setAsideTotal(), "the counter counts what was set aside, not what is now");

    Desk.Reply again = desk.post("/api/cases/805/retry", Desk.ADMIN_TOKEN, "");
    CaseDriver.assertError(again, 409);
    assertTrue(again.body().contains("nothing to retry"), again.body());
    WorkQueue.awaitEmpty(desk); // whatever the refused retry might have queued is done
    assertEquals(1, cases.updateCount(805), "a retry with nothing to retry sends nothing");
  }

  @Test
  void aStoredInputThatDoesNotParseIsSetAsideAndWorkedOnceRepaired() {
    cases.openNotShipped(806);
    WorkQueue.awaitEmpty(desk);
    int orderReads = cases.orderReads(806);
    // A stored agent action cut short (as a disk or a hand edit might leave it); old enough for
    // the worker's sweep to pick it up, as it would after a crash.
    long id =
        desk.app
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createUpdate(
                            "insert into inbox (ticket_id, kind, payload, received_at) "
                                + "values (806, 'agent_action', :p, :at)")
                        .bind("p", "{\"action\": \"recheck\", \"agent\": ")
                        .bind("at", Instant.parse("2026-01-01T00:00:00Z"))
                        .executeAndReturnGeneratedKeys("id")
                        .mapTo(Long.class)
                        .one());
    Desk.await("the input set aside", () -> setAsideTotal() == 1);
    WorkQueue.awaitEmpty(desk);
    assertTrue(
        timeline(806).stream()
            .anyMatch(t -> t.startsWith("An input (agent action) could not be worked on")),
        "the agents' timeline says so");
    assertEquals(List.of("input_set_aside"), reasons(806));
    assertEquals(1, stats().path("needsAttention").asLong());

    desk.app
        .database()
        .jdbi()
        .useHandle(
            h ->
                h.createUpdate("update inbox set payload = :p where id = :id")
                    .bind("p", "{\"action\": \"recheck\", \"agent\": \"Ana Agent\"}")
                    .bind("id", id)
                    .execute());
    Desk.Reply retried = desk.post("/api/cases/806/retry", Desk.ADMIN_TOKEN, "");
    assertEquals(200, retried.status(), retried.body());
    assertEquals(1, retried.json().path("inputs").asInt(), retried.body());
    WorkQueue.awaitEmpty(desk);

    assertEquals(
        1,
        timeline(806).stream().filter(t -> t.equals("Re-check asked by Ana Agent.")).count(),
        "worked once: " + timeline(806));
    // (The worker's sweep may look at the waiting input too; only one of them stores it.)
    assertTrue(cases.orderReads(806) > orderReads, "the re-check read the order");
    assertEquals(List.of(), reasons(806));
    assertEquals(1, cases.updateCount(806), "only step 1's note");
  }

  private Desk.Reply webhook(long ticketId, String invocation) {
    return desk.zendeskWebhook(
        Desk.triggerBody(
            ticketId,
            CaseDriver.CREATED,
            "cancellation_request",
            "Cancel my order",
            CaseDriver.order(ticketId)),
        invocation);
  }

  /** {@code desk_inputs_set_aside_total} on /metrics. */
  private double setAsideTotal() {
    for (String line : desk.get("/metrics", null).body().split("\n"))
      if (line.startsWith("desk_inputs_set_aside_total "))
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
    throw new AssertionError("no desk_inputs_set_aside_total on /metrics");
  }

  /** Why /ops lists the ticket as needing a person (its JSON API). */
  private List<String> reasons(long ticketId) {
    Desk.Reply now = desk.get("/api/ops/now", Desk.ADMIN_TOKEN);
    assertEquals(200, now.status(), now.body());
    List<String> reasons = new ArrayList<>();
    for (JsonNode a : now.json().path("needsAttention"))
      if (a.path("ticketId").asLong() == ticketId) reasons.add(a.path("reason").asText());
    return reasons;
  }

  private JsonNode stats() {
    Desk.Reply r = desk.get("/api/stats", Desk.ADMIN_TOKEN);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private List<String> timeline(long ticketId) {
    List<String> lines = new ArrayList<>();
    for (JsonNode e : desk.caseOf(ticketId).path("timeline")) lines.add(e.path("text").asText());
    return lines;
  }
}
