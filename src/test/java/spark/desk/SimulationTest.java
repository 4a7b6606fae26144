package spark.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import spark.desk.shared.Json;

/**
 * {@code simulate FILE} through {@link Main}, as a user runs it: each shipped scenario's trace
 * (steps, tags, groups, status, follow-up times on working days), and malformed scenarios.
 */
class SimulationTest {
  private static final Path REPO = Path.of(System.getProperty("project.basedir", "."));
  private static final Path SCENARIOS = REPO.resolve("examples/scenarios");
  private static final ObjectMapper JSON = Json.mapper();
  private static final long REFUND_GROUP = 360000777L;
  private static final long SALES_RETURN_GROUP = 360000888L;

  @TempDir Path dir;

  /** The outcome of one {@code simulate} run. */
  record Run(int exit, List<JsonNode> lines, String stdout, String stderr) {
    List<String> steps() {
      return lines.stream().map(l -> l.path("step").asText()).toList();
    }

    JsonNode step(String step) {
      List<JsonNode> found =
          lines.stream().filter(l -> l.path("step").asText().equals(step)).toList();
      assertEquals(1, found.size(), "exactly one step " + step + " line in " + steps());
      return found.get(0);
    }

    List<JsonNode> all(String step) {
      return lines.stream().filter(l -> l.path("step").asText().equals(step)).toList();
    }

    long withTag(String tag) {
      return lines.stream().filter(l -> tags(l).contains(tag)).count();
    }
  }

  private static Run simulate(Path file, Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            new String[] {"simulate", file.toString()},
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String stdout = out.toString(StandardCharsets.UTF_8);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : stdout.lines().toList()) {
      try {
        lines.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new AssertionError("standard output has a line that is not JSON: " + line, e);
      }
    }
    return new Run(exit, lines, stdout, err.toString(StandardCharsets.UTF_8));
  }

  private static Run scenario(String name) {
    Run run = simulate(SCENARIOS.resolve(name + ".json"), Map.of());
    assertEquals(0, run.exit(), "exit code; stderr: " + run.stderr());
    assertTraceIsWellFormed(run);
    return run;
  }

  private static void assertTraceIsWellFormed(Run run) {
    Instant previous = Instant.MIN;
    for (JsonNode line : run.lines()) {
      assertEquals(
          List.of("at", "ticketId", "step", "tags", "note", "macro", "groupId", "status"),
          fieldNames(line));
      Instant at = Instant.parse(line.path("at").asText());
      assertFalse(at.isBefore(previous), "lines in time order: " + run.stdout());
      previous = at;
      assertTrue(
          line.path("note").asText().startsWith("Step " + line.path("step").asText()),
          "note names its step: " + line);
      List<String> tags = tags(line);
      assertEquals(tags.stream().sorted().toList(), tags, "tags sorted");
    }
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> tags(JsonNode line) {
    List<String> tags = new ArrayList<>();
    line.path("tags").forEach(t -> tags.add(t.asText()));
    return tags;
  }

  private static Instant at(JsonNode line) {
    return Instant.parse(line.path("at").asText());
  }

  static Stream<String> shippedScenarios() throws IOException {
    try (Stream<Path> files = Files.list(SCENARIOS)) {
      return files
          .map(p -> p.getFileName().toString().replace(".json", ""))
          .sorted()
          .toList()
          .stream();
    }
  }

  // ---- the shipped scenarios ---------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("shippedScenarios")
  void everyShippedScenarioRunsQuietlyAndEscalatesAtMostOnce(String name) {
    Run run = scenario(name);
    assertFalse(run.lines().isEmpty());
    assertEquals("", run.stderr(), "nothing on standard error");
    assertTrue(run.withTag("cxl_refund_escalated") <= 1, "at most one refund escalation");
  }

  @Test
  void notShippedOrderCancelledByLogisticsIsEscalatedToRefunds() {
    Run run = scenario("not-shipped-successful");
    assertEquals(List.of("1.1", "3.1"), run.steps());
    JsonNode notShipped = run.step("1.1");
    assertEquals(List.of("cxl_logistics_requested", "cxl_not_shipped"), tags(notShipped));
    assertEquals("Spark Cancellation (Not Shipped)", notShipped.path("macro").asText());
    assertEquals(Instant.parse("2026-11-24T15:00:00Z"), at(notShipped));
    JsonNode escalated = run.step("3.1");
    assertEquals(List.of("cxl_logistics_successful", "cxl_refund_escalated"), tags(escalated));
    assertEquals(REFUND_GROUP, escalated.path("groupId").asLong());
    assertTrue(escalated.path("macro").isNull());
    assertTrue(escalated.path("note").asText().contains("Dana (logistics)"));
  }

  @Test
  void shippedParcelRefusedAndReturnedToSenderIsEscalatedOnce() {
    Run run = scenario("shipped-refused-returned");
    assertEquals(List.of("1.2", "3.2", "4.1"), run.steps());
    assertEquals(List.of("cxl_logistics_requested", "cxl_shipped"), tags(run.step("1.2")));
    assertEquals("Spark Cancellation (Shipped)", run.step("1.2").path("macro").asText());
    // The customer was asked to refuse the parcel before the result came: no macro to send again.
    assertTrue(run.step("3.2").path("macro").isNull());
    JsonNode returned = run.step("4.1");
    assertEquals(List.of("cxl_refund_escalated", "cxl_return_to_sender"), tags(returned));
    assertEquals(REFUND_GROUP, returned.path("groupId").asLong());
    // Polled every 4 hours from the refusal request (09:30): the first check after 15:00 is 17:30.
    assertEquals(Instant.parse("2026-12-02T17:30:00Z"), at(returned));
    assertEquals(1, run.withTag("cxl_refund_escalated"));
  }

  @Test
  void contractExampleScenarioChecksTheNextWorkingDayBeforeTheResultComes() {
    Run run = simulate(REPO.resolve("examples/scenario-shipped-refused.json"), Map.of());
    assertEquals(0, run.exit(), run.stderr());
    assertTraceIsWellFormed(run);
    assertEquals(List.of("1.2", "3", "3.2", "4.1"), run.steps());
    assertEquals(Instant.parse("2026-11-30T10:00:00Z"), at(run.step("3")));
    assertEquals(List.of("cxl_logistics_overdue"), tags(run.step("3")));
  }

  @Test
  void orderDeliveredBeforeTheRequestGoesToSalesReturn() {
    Run run = scenario("delivered-before-request");
    assertEquals(List.of("1.3"), run.steps());
    JsonNode line = run.step("1.3");
    assertEquals(List.of("cxl_delivered_before_request", "cxl_sales_return"), tags(line));
    assertEquals("Spark Cancellation (Delivered)", line.path("macro").asText());
    assertEquals(SALES_RETURN_GROUP, line.path("groupId").asLong());
    assertEquals(0, run.withTag("cxl_logistics_requested"));
  }

  @Test
  void parcelDeliveredAfterRefusalAndKeptSolvesTheTicket() {
    Run run = scenario("delivered-after-refusal-kept");
    assertEquals(List.of("1.2", "3.2", "4.2", "5.1"), run.steps());
    JsonNode delivered = run.step("4.2");
    assertEquals(List.of("cxl_delivered_after_refusal"), tags(delivered));
    assertEquals("Spark Cancellation (Keep or Return)", delivered.path("macro").asText());
    assertEquals(Instant.parse("2026-12-01T13:30:00Z"), at(delivered));
    JsonNode kept = run.step("5.1");
    assertEquals(List.of("cxl_order_kept"), tags(kept));
    assertEquals("solved", kept.path("status").asText());
    assertEquals(Instant.parse("2026-12-02T10:00:00Z"), at(kept));
    assertEquals(0, run.withTag("cxl_refund_escalated"));
  }

  @Test
  void parcelDeliveredAfterRefusalAndReturnedGoesToSalesReturn() {
    Run run = scenario("delivered-after-refusal-returned");
    assertEquals(List.of("1.2", "3.2", "4.2", "5.2"), run.steps());
    JsonNode salesReturn = run.step("5.2");
    assertEquals(List.of("cxl_sales_return"), tags(salesReturn));
    assertEquals(SALES_RETURN_GROUP, salesReturn.path("groupId").asLong());
    assertTrue(salesReturn.path("status").isNull());
    assertEquals(0, run.withTag("cxl_refund_escalated"));
  }

  @Test
  void overdueChecksSkipTheWeekendAndHolidaysAndComeAtFollowupTime() {
    Run run = scenario("logistics-overdue-holiday");
    assertEquals(List.of("1.1", "3", "3", "3.1"), run.steps());
    ZoneId london = ZoneId.of("Europe/London");
    List<LocalDate> holidays =
        List.of(LocalDate.parse("2026-12-25"), LocalDate.parse("2026-12-28"));
    List<ZonedDateTime> checks = run.all("3").stream().map(l -> at(l).atZone(london)).toList();
    // Requested Thu 24 Dec: Fri 25 (Christmas), the weekend and Mon 28 (Boxing Day substitute) are
    // skipped.
    assertEquals(LocalDate.parse("2026-12-29"), checks.get(0).toLocalDate());
    assertEquals(LocalDate.parse("2026-12-30"), checks.get(1).toLocalDate());
    for (ZonedDateTime check : checks) {
      assertEquals(
          LocalTime.of(9, 30), check.toLocalTime(), "FOLLOWUP_TIME in the business time zone");
      assertFalse(holidays.contains(check.toLocalDate()));
      assertFalse(
          check.getDayOfWeek() == DayOfWeek.SATURDAY || check.getDayOfWeek() == DayOfWeek.SUNDAY);
      assertEquals(List.of("cxl_logistics_overdue"), tags(run.all("3").get(checks.indexOf(check))));
    }
    assertTrue(
        run.step("1.1").path("note").asText().contains("Tue 29 Dec 2026 09:30"),
        "the 1.1 note says when it is checked");
    JsonNode escalated = run.step("3.1");
    assertEquals(Instant.parse("2026-12-30T11:00:00Z"), at(escalated));
    assertEquals(REFUND_GROUP, escalated.path("groupId").asLong());
    assertEquals(1, run.withTag("cxl_refund_escalated"));
  }

  @Test
  void watchWithNeitherOutcomeWithinTheLimitIsHandedBackOnce() {
    Run run = scenario("tracking-stalled");
    assertEquals(List.of("1.2", "3", "3.2", "4"), run.steps());
    // 10:00 in New York (EST, UTC-5) on the next working day.
    assertEquals(Instant.parse("2026-11-03T15:00:00Z"), at(run.step("3")));
    JsonNode stalled = run.step("4");
    assertEquals(List.of("cxl_tracking_stalled"), tags(stalled));
    // TRACKING_WATCH_LIMIT P7D from the refusal request at 14:30.
    assertEquals(Instant.parse("2026-11-09T14:30:00Z"), at(stalled));
    assertTrue(stalled.path("groupId").isNull());
    assertEquals(0, run.withTag("cxl_refund_escalated"));
  }

  @Test
  void returnToSenderWhileLogisticsPendingEscalatesAndTheLaterResultEscalatesNothing() {
    Run run = scenario("returned-while-logistics-pending");
    assertEquals(List.of("1.2", "4.1", "3.1"), run.steps());
    assertEquals(REFUND_GROUP, run.step("4.1").path("groupId").asLong());
    JsonNode late = run.step("3.1");
    assertEquals(List.of("cxl_logistics_successful"), tags(late));
    assertTrue(late.path("groupId").isNull());
    assertEquals(1, run.withTag("cxl_refund_escalated"));
  }

  // ---- configuration -------------------------------------------------------------------------

  @Test
  void environmentPointingAtRealSystemsIsIgnoredAndTheScenarioConfigWins() {
    Map<String, String> env =
        Map.of(
            "ZENDESK_URL",
            "http://127.0.0.1:9",
            "ZENDESK_EMAIL",
            "bot@spark.example",
            "ZENDESK_API_TOKEN",
            "t",
            "ORDERS_URL",
            "http://127.0.0.1:9",
            "TRACKING_URL",
            "http://127.0.0.1:9",
            "MODE",
            "live",
            "DATABASE_URL",
            "jdbc:postgresql://127.0.0.1:9/desk",
            "BUSINESS_TIMEZONE",
            "Asia/Tokyo");
    Run run = simulate(SCENARIOS.resolve("shipped-refused-returned.json"), env);
    assertEquals(0, run.exit(), run.stderr());
    assertEquals(scenario("shipped-refused-returned").stdout(), run.stdout());
  }

  @Test
  void eventsOutOfOrderInTheFileAreRunInTimeOrder() throws IOException {
    JsonNode root = JSON.readTree(SCENARIOS.resolve("delivered-after-refusal-kept.json").toFile());
    var events = (com.fasterxml.jackson.databind.node.ArrayNode) root.path("events");
    List<JsonNode> reversed = new ArrayList<>();
    events.forEach(reversed::add);
    java.util.Collections.reverse(reversed);
    events.removeAll();
    events.addAll(reversed);
    Path file = dir.resolve("reversed.json");
    Files.writeString(file, root.toString());
    Run run = simulate(file, Map.of());
    assertEquals(0, run.exit(), run.stderr());
    assertEquals(scenario("delivered-after-refusal-kept").stdout(), run.stdout());
  }

  // ---- malformed scenarios -------------------------------------------------------------------

  private static final String OK_TICKET =
      "{\"at\": \"2026-11-27T09:00:00Z\", \"type\": \"ticket\", \"ticket\": {\"id\": 101, \"tags\": [\"cancellation_request\"], \"orderNumber\": \"SP-1\"}}";

  private static String scenarioWith(String events) {
    return "{\"start\": \"2026-11-27T09:00:00Z\", \"until\": \"2026-12-10T00:00:00Z\","
        + " \"orders\": [{\"orderNumber\": \"SP-1\", \"status\": \"processing\"}], \"events\": ["
        + events
        + "]}";
  }

  static Stream<String[]> malformed() {
    return Stream.of(
        new String[] {"not json at all", "not JSON"},
        new String[] {"[1, 2]", "must be a JSON object"},
        new String[] {"{\"until\": \"2026-12-10T00:00:00Z\", \"events\": []}", "start: required"},
        new String[] {"{\"start\": \"2026-11-27T09:00:00Z\", \"events\": []}", "until: required"},
        new String[] {
          "{\"start\": \"2026-11-27T09:00:00Z\", \"until\": \"2026-11-20T00:00:00Z\"}",
          "until: must be after start"
        },
        new String[] {
          "{\"start\": \"27/11/2026\", \"until\": \"2026-12-10T00:00:00Z\"}",
          "start: bad time \"27/11/2026\""
        },
        new String[] {
          scenarioWith(
              OK_TICKET
                  + ", {\"at\": \"2026-11-27T10:00:00Z\", \"type\": \"tags_added\", \"ticketId\": 101, \"tags\": [\"x\"]},"
                  + " {\"at\": \"2026-11-27T11:00:00Z\", \"type\": \"foo\", \"ticketId\": 101}"),
          "events[2].type: unknown event type \"foo\""
        },
        new String[] {
          scenarioWith(
              OK_TICKET
                  + ", {\"at\": \"2026-11-27T10:00:00Z\", \"type\": \"tags_added\", \"tags\": [\"x\"]}"),
          "events[1].ticketId: required"
        },
        new String[] {
          scenarioWith(
              OK_TICKET
                  + ", {\"at\": \"2026-11-27T10:00:00Z\", \"type\": \"customer_decision\", \"ticketId\": 101, \"decision\": \"maybe\"}"),
          "events[1].decision: unknown customer decision \"maybe\""
        },
        new String[] {
          scenarioWith(
              OK_TICKET
                  + ", {\"at\": \"2026-11-27T10:00:00Z\", \"type\": \"logistics_result\", \"ticketId\": 101, \"result\": \"done\"}"),
          "events[1].result: unknown logistics result \"done\""
        },
        new String[] {
          scenarioWith(
              OK_TICKET
                  + ", {\"at\": \"tomorrow\", \"type\": \"tags_added\", \"ticketId\": 101, \"tags\": [\"x\"]}"),
          "events[1].at: bad time \"tomorrow\""
        },
        new String[] {
          scenarioWith(
              OK_TICKET
                  + ", {\"at\": \"2026-11-27T10:00:00Z\", \"type\": \"tags_added\", \"ticketId\": 999, \"tags\": [\"x\"]}"),
          "events[1].ticketId: unknown ticket 999"
        },
        // Sorted by time, the tag change comes before the ticket exists.
        new String[] {
          scenarioWith(
              OK_TICKET
                  + ", {\"at\": \"2026-11-27T08:59:00Z\", \"type\": \"tags_added\", \"ticketId\": 101, \"tags\": [\"x\"]}"),
          "events[1].at: 2026-11-27T08:59:00Z is before start"
        },
        new String[] {
          scenarioWith(
              OK_TICKET
                  + ", {\"at\": \"2026-11-27T09:00:00Z\", \"type\": \"ticket\", \"ticket\": {\"id\": 101}}"),
          "events[1].ticket.id: ticket 101 is created twice"
        },
        new String[] {
          scenarioWith(
              "{\"at\": \"2026-11-27T09:00:00Z\", \"type\": \"ticket\", \"ticket\": {\"tags\": []}}"),
          "events[0].ticket.id: required"
        },
        new String[] {
          scenarioWith(
              OK_TICKET
                  + ", {\"at\": \"2026-12-27T09:00:00Z\", \"type\": \"tags_added\", \"ticketId\": 101, \"tags\": [\"x\"]}"),
          "events[1].at: 2026-12-27T09:00:00Z is after until"
        },
        new String[] {
          "{\"start\": \"2026-11-27T09:00:00Z\", \"until\": \"2026-12-10T00:00:00Z\", \"config\": {\"BUSINESS_TIMEZONE\": \"Mars/Olympus\"}}",
          "config.BUSINESS_TIMEZONE: has a bad value"
        },
        new String[] {
          "{\"start\": \"2026-11-27T09:00:00Z\", \"until\": \"2026-12-10T00:00:00Z\", \"config\": {\"BUSINESS_TIMEZON\": \"UTC\"}}",
          "config.BUSINESS_TIMEZON: not a configuration variable"
        },
        new String[] {
          "{\"start\": \"2026-11-27T09:00:00Z\", \"until\": \"2026-12-10T00:00:00Z\", \"orders\": [{\"status\": \"shipped\"}]}",
          "orders[0].orderNumber: required"
        },
        new String[] {
          "{\"start\": \"2026-11-27T09:00:00Z\", \"until\": \"2026-12-10T00:00:00Z\", \"trackers\": [{\"trackingNumber\": \"1Z\", \"timeline\": [{\"at\": \"2026-11-27T09:00:00Z\", \"status\": \"lost\"}]}]}",
          "trackers[0].timeline[0].status: unknown tracking status \"lost\""
        });
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedScenarioExitsTwoNamingTheProblem(String scenario, String problem)
      throws IOException {
    Path file = dir.resolve("scenario.json");
    Files.writeString(file, scenario);
    Run run = simulate(file, Map.of());
    assertEquals(2, run.exit(), "stderr: " + run.stderr());
    assertTrue(run.stderr().contains(problem), "expected \"" + problem + "\" in: " + run.stderr());
    assertEquals("", run.stdout());
  }

  @Test
  void logisticsResultForATicketWithoutLogisticsRequestExitsTwo() throws IOException {
    Path file = dir.resolve("scenario.json");
    Files.writeString(
        file,
        "{\"start\": \"2026-11-27T09:00:00Z\", \"until\": \"2026-12-10T00:00:00Z\", \"events\": ["
            + OK_TICKET
            + ", {\"at\": \"2026-11-27T10:00:00Z\", \"type\": \"logistics_result\", \"ticketId\": 101, \"result\": \"successful\"}]}");
    Run run = simulate(file, Map.of());
    assertEquals(2, run.exit());
    assertTrue(
        run.stderr().contains("events[1]: ticket 101 has no logistics request"), run.stderr());
    // SP-1 is not in the scenario's orders: the order system does not know it (step 1 problem
    // line).
    assertEquals(List.of("1"), run.steps());
    assertEquals(List.of("cxl_order_not_found"), tags(run.step("1")));
  }

  @Test
  void usageAndUnreadableFileExitTwo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(2, Main.run(new String[] {"simulate"}, Map.of(), o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage"));
    Run missing = simulate(dir.resolve("nope.json"), Map.of());
    assertEquals(2, missing.exit());
    assertTrue(missing.stderr().contains("cannot read"), missing.stderr());
  }
}
