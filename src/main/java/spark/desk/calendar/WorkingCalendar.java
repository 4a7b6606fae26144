package spark.desk.calendar;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Set;
import spark.desk.config.Config;
import spark.desk.shared.DeskException;

/**
 * The logistics team's working days (BUSINESS_TIMEZONE, BUSINESS_DAYS, BUSINESS_HOLIDAYS) and the
 * time of day of the SOP's step 3 check (FOLLOWUP_TIME). Pure and immutable: it never reads a
 * clock, so the caller passes the moment it is asking about. Safe to share between threads.
 *
 * @param zone the zone in which days start and end and in which the follow-up time is read
 * @param days the days of the week the logistics team works (at least one)
 * @param holidays local dates that are never working days, whatever their day of the week
 * @param followupTime local time of the next-working-day check
 */
public record WorkingCalendar(
    ZoneId zone, Set<DayOfWeek> days, Set<LocalDate> holidays, LocalTime followupTime) {

  /**
   * How far {@link #nextWorkingDay} looks before it gives up. A year and a day: every weekly
   * pattern repeats within it, so finding nothing means the holidays cover every working day.
   */
  private static final int SEARCH_LIMIT_DAYS = 367;

  public WorkingCalendar {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(followupTime, "followupTime");
    days = Set.copyOf(Objects.requireNonNull(days, "days"));
    holidays = Set.copyOf(Objects.requireNonNull(holidays, "holidays"));
    if (days.isEmpty())
      throw new DeskException("a working calendar needs at least one working day");
  }

  public static WorkingCalendar from(Config config) {
    return new WorkingCalendar(
        config.businessTimezone(),
        config.businessDays(),
        config.businessHolidays(),
        config.followupTime());
  }

  /**
   * SOP step 3, "check back the next working day": the follow-up time on the first working day
   * strictly after the local date of {@code after}. A request made on a Monday, before or after the
   * follow-up time, is checked on Tuesday; one made on a Friday, Saturday or Sunday on Monday.
   *
   * <p>A follow-up time that does not exist on that day (a daylight-saving gap) moves forward by
   * the length of the gap; one that exists twice (an overlap) is the earlier of the two instants.
   *
   * @throws DeskException when no working day follows within a year (holidays cover them all)
   */
  public Instant nextFollowup(Instant after) {
    LocalDate requestDay = after.atZone(zone).toLocalDate();
    return followupOn(nextWorkingDay(requestDay));
  }

  /** The follow-up time on {@code day}, with the daylight-saving rules of {@link #nextFollowup}. */
  public Instant followupOn(LocalDate day) {
    // ZonedDateTime.of resolves a gap forward and an overlap to the earlier offset.
    return ZonedDateTime.of(day, followupTime, zone).toInstant();
  }

  public boolean isWorkingDay(LocalDate day) {
    return days.contains(day.getDayOfWeek()) && !holidays.contains(day);
  }

  /**
   * The first working day strictly after {@code day}.
   *
   * @throws DeskException when there is none within a year
   */
  public LocalDate nextWorkingDay(LocalDate day) {
    LocalDate candidate = day.plusDays(1);
    for (int i = 0; i < SEARCH_LIMIT_DAYS; i++, candidate = candidate.plusDays(1)) {
      if (isWorkingDay(candidate)) return candidate;
    }
    throw new DeskException(
        "no working day within a year after "
            + day
            + ": BUSINESS_HOLIDAYS cover every day of BUSINESS_DAYS");
  }

  /**
   * The working time between two moments, in hours: the part of {@code [from, to)} that falls on
   * working days, a working day counting from its local midnight to the next (the logistics team
   * has no fixed office hours in the configuration, so a working day is all of it). A request made
   * on Friday 16:00 and answered on Monday 10:00 took 8 + 10 = 18 working hours; weekends and
   * holidays count nothing. Zero when {@code to} is not after {@code from}.
   */
  public double workingHours(Instant from, Instant to) {
    if (!to.isAfter(from)) return 0;
    long seconds = 0;
    LocalDate day = from.atZone(zone).toLocalDate();
    LocalDate last = to.atZone(zone).toLocalDate();
    for (; !day.isAfter(last); day = day.plusDays(1)) {
      if (!isWorkingDay(day)) continue;
      Instant start = day.atStartOfDay(zone).toInstant();
      Instant end = day.plusDays(1).atStartOfDay(zone).toInstant();
      Instant a = start.isBefore(from) ? from : start;
      Instant b = end.isAfter(to) ? to : end;
      if (b.isAfter(a)) seconds += java.time.Duration.between(a, b).getSeconds();
    }
    return seconds / 3600.0;
  }
}
