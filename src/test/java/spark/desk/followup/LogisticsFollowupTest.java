package spark.desk.followup;

import static org.junit.jupiter.api.Assertions.*;
import static spark.desk.testing.CaseDriver.note;
import static spark.desk.testing.CaseDriver.tags;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;

/**
 * SOP step 3 through the real server and the settable clock: the next-working-day check for the
 * logistics team's result (FOLLOWUP_TIME in BUSINESS_TIMEZONE), repeated each working day, and its
 * problem tag removed by the result that resolves it.
 */
class LogisticsFollowupTest {
  Desk desk;

  @AfterEach
  void stop() {
    if (desk != null) desk.close();
  }

  /** Thursday 26 November 2026, 09:13 UTC: the next working day is Friday, then Monday. */
  CaseDriver startOnThursdayInNovember(Map<String, String> env) {
    desk = Desk.start(env, Desk.START);
    return new CaseDriver(desk);
  }

  void at(String instant) {
    desk.clock.set(Instant.parse(instant));
    desk.runDue();
  }

  @Test
  void noResultByTheNextWorkingDayAt10IsFlaggedOverdueWithAStep3Note() {
    CaseDriver cases = startOnThursdayInNovember(Map.of());
    cases.openNotShipped(301);

    at("2026-11-27T09:59:59Z");
    assertTrue(cases.writes(301, "3").isEmpty(), "not before 10:00 on the next working day");

    at("2026-11-27T10:00:00Z");
    JsonNode update = cases.update(301, 2);
    assertTrue(tags(update).contains("cxl_logistics_overdue"), tags(update).toString());
    String note = note(update);
    assertTrue(note.startsWith("Step 3"), note);
    assertFalse(note.contains("Suggested macro"), "step 3 suggests no macro: " + note);
    assertFalse(update.has("group_id") || update.has("status"));
  }

  @Test
  void overdueCheckRepeatsOnTheNextWorkingDaySkippingTheWeekend() {
    CaseDriver cases = startOnThursdayInNovember(Map.of());
    cases.openNotShipped(302);
    at("2026-11-27T10:00:00Z");
    cases.update(302, 2);

    at("2026-11-28T10:00:00Z");
    at("2026-11-29T10:00:00Z");
    assertEquals(1, cases.writes(302, "3").size(), "no check on Saturday or Sunday");

    at("2026-11-30T10:00:00Z");
    JsonNode again = cases.update(302, 3);
    assertTrue(note(again).startsWith("Step 3"), note(again));
    assertTrue(tags(again).contains("cxl_logistics_overdue"));
    assertEquals(2, cases.writes(302, "3").size());
  }

  @Test
  void resultArrivingAfterTheOverdueChecksRemovesTheOverdueTag() {
    CaseDriver cases = startOnThursdayInNovember(Map.of());
    cases.zendeskKeepsTags();
    cases.openNotShipped(303);
    at("2026-11-27T10:00:00Z");
    cases.update(303, 2);
    at("2026-11-30T10:00:00Z");
    cases.update(303, 3);
    assertTrue(cases.zendeskTags(303).contains("cxl_logistics_overdue"));

    desk.clock.set(Instant.parse("2026-11-30T11:30:00Z"));
    assertEquals(200, cases.logisticsResult(303, "successful").status());

    JsonNode resolved = cases.update(303, 4);
    assertFalse(
        tags(resolved).contains("cxl_logistics_overdue"),
        "the tag list Zendesk receives drops it: " + tags(resolved));
    assertTrue(
        tags(resolved)
            .containsAll(
                List.of(
                    "cxl_not_shipped",
                    "cxl_logistics_requested",
                    "cxl_logistics_successful",
                    "cxl_refund_escalated")),
        "outcome tags stay: " + tags(resolved));
    assertTrue(note(resolved).startsWith("Step 3.1"), note(resolved));
    JsonNode write = cases.writes(303, "3.1").get(0);
    assertTrue(
        write.path("removedTags").toString().contains("cxl_logistics_overdue"), write.toString());

    at("2026-12-01T10:00:00Z");
    assertEquals(2, cases.writes(303, "3").size(), "no more overdue checks once the result is in");
  }

  @Test
  void nextWorkingDayCheckFollowsTheBusinessTimezone() {
    // Thursday 24 June 2027: London is on summer time, so 10:00 there is 09:00 UTC.
    desk =
        Desk.start(
            Map.of("BUSINESS_TIMEZONE", "Europe/London"), Instant.parse("2027-06-24T08:30:00Z"));
    CaseDriver cases = new CaseDriver(desk, "2027-06-24T08:29:00Z");
    cases.openNotShipped(304);

    at("2027-06-25T08:59:59Z");
    assertTrue(cases.writes(304, "3").isEmpty(), "not before 10:00 London time");

    at("2027-06-25T09:00:00Z");
    JsonNode update = cases.update(304, 2);
    assertTrue(tags(update).contains("cxl_logistics_overdue"));
    assertTrue(note(update).startsWith("Step 3"), note(update));
    assertTrue(
        note(update).contains("28 Jun 2027 10:00"),
        "names the next check in London time: " + note(update));
  }
}
