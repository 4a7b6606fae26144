package spark.desk.calendar;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;
import spark.desk.config.Config;

/** The logistics team's working days (placeholder until the calendar branch lands). */
public record WorkingCalendar(ZoneId zone, Set<DayOfWeek> days, Set<LocalDate> holidays, LocalTime followupTime) {
  public static WorkingCalendar from(Config c) {
    return new WorkingCalendar(c.businessTimezone(), c.businessDays(), c.businessHolidays(), c.followupTime());
  }

  public boolean isWorkingDay(LocalDate d) {
    return days.contains(d.getDayOfWeek()) && !holidays.contains(d);
  }

  public LocalDate nextWorkingDay(LocalDate d) {
    LocalDate n = d.plusDays(1);
    for (int i = 0; i < 400 && !isWorkingDay(n); i++) n = n.plusDays(1);
    return n;
  }

  public Instant nextFollowup(Instant after) {
    LocalDate day = nextWorkingDay(after.atZone(zone).toLocalDate());
    return ZonedDateTime.of(day, followupTime, zone).toInstant();
  }
}
