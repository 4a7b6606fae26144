package spark.desk.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static spark.desk.cases.Snapshots.parcel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the stand-ins see of a run: the Zendesk tickets after the service's updates, the trackers
 * over time.
 */
class ScenarioRunTest {
  private static final Path SCENARIOS =
      Path.of(System.getProperty("project.basedir", ".")).resolve("examples/scenarios");

  private record Outcome(List<TraceLine> trace, ScenarioZendesk zendesk) {}

  private static Outcome run(String name) throws IOException {
    Scenario scenario = Scenario.parse(Files.readString(SCENARIOS.resolve(name + ".json")));
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    List<TraceLine> trace = new ArrayList<>();
    try (ScenarioRun run =
        new ScenarioRun(scenario, Simulation.config(scenario.config(), err), err)) {
      run.run(trace::add);
      return new Outcome(trace, run.zendesk());
    }
  }

  @Test
  void serviceUpdatesReachTheTicketOnceEachAndResolvedProblemTagsAreRemoved() throws IOException {
    Outcome o = run("logistics-overdue-holiday");
    ScenarioZendesk.StandInTicket ticket = o.zendesk().ticket(206);
    assertEquals(
        o.trace().size(),
        ticket.privateNotes.size(),
        "one private note per traced update, none twice");
    assertTrue(ticket.tags.contains("cancellation_request"), "the agent's tags stay");
    assertTrue(
        ticket.tags.containsAll(
            List.of(
                "cxl_not_shipped",
                "cxl_logistics_requested",
                "cxl_logistics_successful",
                "cxl_refund_escalated")));
    assertFalse(
        ticket.tags.contains("cxl_logistics_overdue"),
        "the 3.1 update resolves the overdue problem");
    assertEquals(360000777L, ticket.groupId);
  }

  @Test
  void orderKeptSolvesTheStandInTicket() throws IOException {
    Outcome o = run("delivered-after-refusal-kept");
    ScenarioZendesk.StandInTicket ticket = o.zendesk().ticket(204);
    assertEquals("solved", ticket.status);
    assertTrue(
        ticket.tags.containsAll(
            List.of("cxl_refusal_requested", "cxl_customer_keeps", "cxl_order_kept")));
  }

  @Test
  void trackerShowsTheLastEntryAtOrBeforeNowAndIsUnknownBeforeTheFirst() {
    var timeline =
        new Scenario.TrackerTimeline(
            "1Z9",
            "UPS",
            List.of(
                new Scenario.TrackerTimeline.Entry(
                    Instant.parse("2026-11-26T12:00:00Z"), "in_transit", null),
                new Scenario.TrackerTimeline.Entry(
                    Instant.parse("2026-11-30T08:00:00Z"), "return_to_sender", null),
                new Scenario.TrackerTimeline.Entry(
                    Instant.parse("2026-12-03T08:00:00Z"), "delivered", null)));
    VirtualClock clock = new VirtualClock(Instant.parse("2026-11-26T11:59:59Z"));
    ScenarioTracking tracking = new ScenarioTracking(List.of(timeline), clock);
    assertTrue(tracking.findTracker("1Z9", "UPS").isEmpty(), "no entry yet: unknown (404)");
    assertTrue(tracking.findTracker("1Z-other", "UPS").isEmpty());
    clock.moveTo(Instant.parse("2026-11-30T07:59:59Z"));
    assertEquals("in_transit", tracking.findTracker("1Z9", "UPS").orElseThrow().status());
    clock.moveTo(Instant.parse("2026-11-30T08:00:00Z"));
    assertTrue(parcel(tracking.findTracker("1Z9", "UPS").orElseThrow()).returnedToSender());
    clock.moveTo(Instant.parse("2026-12-04T00:00:00Z"));
    var back = parcel(tracking.findTracker("1Z9", "UPS").orElseThrow());
    assertEquals("delivered", back.status());
    assertTrue(
        back.returnedToSender(),
        "delivered after a return to sender is delivered back to the sender");
    assertFalse(back.deliveredToCustomer());
  }
}
