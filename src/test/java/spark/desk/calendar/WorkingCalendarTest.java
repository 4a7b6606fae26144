package spark.desk.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import spark.desk.config.Config;
import spark.desk.shared.DeskException;

class WorkingCalendarTest {

  /**
   * One row per case. The first four columns are the environment variables of contract section 2
   * (blank: the default, i.e. UTC, MON..FRI, no holidays, 10:00); then the moment of the request
   * and the follow-up instant SOP step 3 expects, both as literal UTC instants.
   */
  @ParameterizedTest(name = "{6}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # BUSINESS_TIMEZONE | BUSINESS_DAYS               | BUSINESS_HOLIDAYS     | FOLLOWUP_TIME | request at           | follow-up at         | case
            UTC               |                             |                       |               | 2026-11-23T09:00:00Z | 2026-11-24T10:00:00Z | Monday before the follow-up time -> Tuesday
            UTC               |                             |                       |               | 2026-11-23T11:00:00Z | 2026-11-24T10:00:00Z | Monday after the follow-up time -> Tuesday
            UTC               |                             |                       |               | 2026-11-23T10:00:00Z | 2026-11-24T10:00:00Z | Monday exactly at the follow-up time -> Tuesday
            UTC               |                             |                       |               | 2026-11-25T14:00:00Z | 2026-11-26T10:00:00Z | Wednesday -> Thursday
            UTC               |                             |                       |               | 2026-11-26T16:00:00Z | 2026-11-27T10:00:00Z | Thursday -> Friday
            UTC               |                             |                       |               | 2026-11-27T09:00:00Z | 2026-11-30T10:00:00Z | Friday -> Monday
            UTC               |                             |                       |               | 2026-11-27T23:59:59Z | 2026-11-30T10:00:00Z | Friday last second -> Monday
            UTC               |                             |                       |               | 2026-11-28T12:00:00Z | 2026-11-30T10:00:00Z | Saturday -> Monday
            UTC               |                             |                       |               | 2026-11-29T12:00:00Z | 2026-11-30T10:00:00Z | Sunday -> Monday
            UTC               |                             |                       | 16:30         | 2026-11-23T09:00:00Z | 2026-11-24T16:30:00Z | custom FOLLOWUP_TIME
            UTC               | MON                         | 2026-11-30            |               | 2026-11-23T09:00:00Z | 2026-12-07T10:00:00Z | one working day a week, next one a holiday -> a week later
            Europe/London     |                             | 2026-05-25            |               | 2026-05-22T15:00:00Z | 2026-05-26T09:00:00Z | Friday before a Monday bank holiday -> Tuesday
            Europe/London     |                             | 2026-05-25            |               | 2026-05-25T11:00:00Z | 2026-05-26T09:00:00Z | request on the holiday itself -> next day
            Europe/London     |                             | 2025-12-25,2025-12-26 |               | 2025-12-24T09:00:00Z | 2025-12-29T10:00:00Z | Christmas Eve, Christmas and Boxing Day Thu+Fri -> Monday
            Europe/London     |                             | 2025-12-25,2025-12-26 |               | 2025-12-25T09:00:00Z | 2025-12-29T10:00:00Z | request on Christmas Day -> Monday
            Europe/London     |                             | 2026-12-25,2026-12-28 |               | 2026-12-24T09:00:00Z | 2026-12-29T10:00:00Z | Christmas Friday, substitute Boxing Day Monday -> Tuesday
            America/New_York  |                             |                       |               | 2026-11-24T04:30:00Z | 2026-11-24T15:00:00Z | New York Monday 23:30 (Tuesday in UTC) -> Tuesday
            America/New_York  |                             |                       |               | 2026-11-23T00:30:00Z | 2026-11-23T15:00:00Z | New York Sunday 19:30 (Monday in UTC) -> Monday
            America/New_York  |                             |                       |               | 2026-11-28T04:30:00Z | 2026-11-30T15:00:00Z | New York Friday 23:30 (Saturday in UTC) -> Monday
            Australia/Sydney  |                             |                       |               | 2026-11-22T22:00:00Z | 2026-11-23T23:00:00Z | Sydney Monday 09:00 (Sunday in UTC) -> Tuesday
            Asia/Dubai        | SUN,MON,TUE,WED,THU         |                       |               | 2026-11-26T08:00:00Z | 2026-11-29T06:00:00Z | SUN..THU week: Thursday -> Sunday
            Asia/Dubai        | SUN,MON,TUE,WED,THU         |                       |               | 2026-11-27T08:00:00Z | 2026-11-29T06:00:00Z | SUN..THU week: Friday -> Sunday
            Asia/Dubai        | SUN,MON,TUE,WED,THU         |                       |               | 2026-11-28T08:00:00Z | 2026-11-29T06:00:00Z | SUN..THU week: Saturday -> Sunday
            Asia/Dubai        | SUN,MON,TUE,WED,THU         |                       |               | 2026-11-29T08:00:00Z | 2026-11-30T06:00:00Z | SUN..THU week: Sunday -> Monday
            Europe/London     |                             |                       |               | 2026-03-26T12:00:00Z | 2026-03-27T10:00:00Z | London before spring forward: 10:00 GMT
            Europe/London     |                             |                       |               | 2026-03-27T12:00:00Z | 2026-03-30T09:00:00Z | London across spring forward (29 Mar): 10:00 BST
            Europe/London     |                             |                       |               | 2026-03-29T12:00:00Z | 2026-03-30T09:00:00Z | London on the day of spring forward -> Monday 10:00 BST
            Europe/London     |                             |                       |               | 2026-10-22T12:00:00Z | 2026-10-23T09:00:00Z | London before fall back: 10:00 BST
            Europe/London     |                             |                       |               | 2026-10-23T12:00:00Z | 2026-10-26T10:00:00Z | London across fall back (25 Oct): 10:00 GMT
            America/New_York  |                             |                       |               | 2026-03-05T17:00:00Z | 2026-03-06T15:00:00Z | New York before spring forward: 10:00 EST
            America/New_York  |                             |                       |               | 2026-03-06T17:00:00Z | 2026-03-09T14:00:00Z | New York across spring forward (8 Mar): 10:00 EDT
            America/New_York  |                             |                       |               | 2026-10-29T16:00:00Z | 2026-10-30T14:00:00Z | New York before fall back: 10:00 EDT
            America/New_York  |                             |                       |               | 2026-10-30T16:00:00Z | 2026-11-02T15:00:00Z | New York across fall back (1 Nov): 10:00 EST
            Europe/London     | MON,TUE,WED,THU,FRI,SAT,SUN |                       | 01:30         | 2026-03-28T12:00:00Z | 2026-03-29T01:30:00Z | follow-up time in the London gap moves forward to 02:30 BST
            Europe/London     | MON,TUE,WED,THU,FRI,SAT,SUN |                       | 01:30         | 2026-10-24T12:00:00Z | 2026-10-25T00:30:00Z | follow-up time in the London overlap takes the earlier, 01:30 BST
            America/New_York  | MON,TUE,WED,THU,FRI,SAT,SUN |                       | 02:30         | 2026-03-07T17:00:00Z | 2026-03-08T07:30:00Z | follow-up time in the New York gap moves forward to 03:30 EDT
            America/New_York  | MON,TUE,WED,THU,FRI,SAT,SUN |                       | 01:30         | 2026-10-31T16:00:00Z | 2026-11-01T05:30:00Z | follow-up time in the New York overlap takes the earlier, 01:30 EDT
          """)
  void followsUpAtTheFollowupTimeOfTheNextWorkingDay(
      String timezone,
      String days,
      String holidays,
      String followupTime,
      Instant requestAt,
      Instant expected,
      String description) {
    Map<String, String> env = new HashMap<>();
    putIfPresent(env, "BUSINESS_TIMEZONE", timezone);
    putIfPresent(env, "BUSINESS_DAYS", days);
    putIfPresent(env, "BUSINESS_HOLIDAYS", holidays);
    putIfPresent(env, "FOLLOWUP_TIME", followupTime);
    WorkingCalendar calendar = WorkingCalendar.from(Config.fromEnvironment(env));

    assertEquals(expected, calendar.nextFollowup(requestAt), description);
  }

  @Test
  void weekendsAndHolidaysAreNotWorkingDays() {
    WorkingCalendar calendar = weekdays(Set.of(LocalDate.parse("2026-12-25")));

    assertTrue(calendar.isWorkingDay(LocalDate.parse("2026-12-24")));
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2026-12-25")));
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2026-12-26")));
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2026-12-27")));
    assertTrue(calendar.isWorkingDay(LocalDate.parse("2026-12-28")));
  }

  @Test
  void nextWorkingDayIsStrictlyAfterTheGivenDay() {
    WorkingCalendar calendar = weekdays(Set.of(LocalDate.parse("2026-12-25")));

    assertEquals(
        LocalDate.parse("2026-12-24"), calendar.nextWorkingDay(LocalDate.parse("2026-12-23")));
    assertEquals(
        LocalDate.parse("2026-12-28"), calendar.nextWorkingDay(LocalDate.parse("2026-12-24")));
    assertEquals(
        LocalDate.parse("2026-12-28"), calendar.nextWorkingDay(LocalDate.parse("2026-12-26")));
  }

  @Test
  void failsWhenHolidaysCoverEveryWorkingDayOfAYear() {
    Set<LocalDate> everyMonday = new HashSet<>();
    for (LocalDate d = LocalDate.parse("2026-11-30"); d.getYear() < 2028; d = d.plusWeeks(1)) {
      everyMonday.add(d);
    }
    WorkingCalendar calendar =
        new WorkingCalendar(
            ZoneOffset.UTC, Set.of(DayOfWeek.MONDAY), everyMonday, LocalTime.of(10, 0));

    DeskException e =
        assertThrows(
            DeskException.class,
            () -> calendar.nextFollowup(Instant.parse("2026-11-27T09:00:00Z")));
    assertTrue(e.getMessage().contains("BUSINESS_HOLIDAYS"), e.getMessage());
  }

  @Test
  void refusesACalendarWithoutWorkingDays() {
    assertThrows(
        DeskException.class,
        () -> new WorkingCalendar(ZoneOffset.UTC, Set.of(), Set.of(), LocalTime.of(10, 0)));
  }

  @Test
  void isNotChangedByLaterChangesToTheSetsItWasBuiltFrom() {
    Set<DayOfWeek> days = EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY);
    Set<LocalDate> holidays = new HashSet<>();
    WorkingCalendar calendar =
        new WorkingCalendar(ZoneId.of("UTC"), days, holidays, LocalTime.of(10, 0));

    days.add(DayOfWeek.SATURDAY);
    holidays.add(LocalDate.parse("2026-11-24"));

    assertEquals(Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY), calendar.days());
    assertTrue(calendar.isWorkingDay(LocalDate.parse("2026-11-24")));
    assertThrows(
        UnsupportedOperationException.class,
        () -> calendar.holidays().add(LocalDate.parse("2026-12-25")));
  }

  private static WorkingCalendar weekdays(Set<LocalDate> holidays) {
    return new WorkingCalendar(
        ZoneOffset.UTC,
        EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
        holidays,
        LocalTime.of(10, 0));
  }

  private static void putIfPresent(Map<String, String> env, String name, String value) {
    if (value != null) env.put(name, value);
  }
}
