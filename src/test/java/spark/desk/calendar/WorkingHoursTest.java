package spark.desk.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link WorkingCalendar#workingHours}: the hours of working days between two moments. */
class WorkingHoursTest {
  private final WorkingCalendar london =
      new WorkingCalendar(
          ZoneId.of("Europe/London"),
          EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
          Set.of(LocalDate.parse("2026-12-25")),
          LocalTime.of(10, 0));

  @Test
  void aWeekendCountsNothing() {
    // Friday 27 Nov 16:00 to Monday 30 Nov 10:00 (GMT): 8 h of Friday, 10 h of Monday.
    assertEquals(
        18.0,
        london.workingHours(
            Instant.parse("2026-11-27T16:00:00Z"), Instant.parse("2026-11-30T10:00:00Z")));
  }

  @Test
  void aHolidayCountsNothing() {
    // Thursday 24 Dec 12:00 to Monday 28 Dec 12:00: 12 h of Thursday, Friday 25 is a holiday.
    assertEquals(
        24.0,
        london.workingHours(
            Instant.parse("2026-12-24T12:00:00Z"), Instant.parse("2026-12-28T12:00:00Z")));
  }

  @Test
  void daysRunFromLocalMidnightInTheZone() {
    // Monday 30 March 2026 in London is summer time (UTC+1): 23:00Z Sunday to 23:00Z Monday.
    assertEquals(
        24.0,
        london.workingHours(
            Instant.parse("2026-03-29T23:00:00Z"), Instant.parse("2026-03-30T23:00:00Z")));
  }

  @Test
  void withinOneDayAndBackwards() {
    Instant a = Instant.parse("2026-11-30T09:00:00Z");
    Instant b = Instant.parse("2026-11-30T10:30:00Z");
    assertEquals(1.5, london.workingHours(a, b));
    assertEquals(0.0, london.workingHours(b, a));
  }
}
