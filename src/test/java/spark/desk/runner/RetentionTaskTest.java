package spark.desk.runner;

import static org.junit.jupiter.api.Assertions.*;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.CaseDriver;
import spark.desk.testing.Desk;

/**
 * Contract 2, {@code RETENTION}, through the running service: the pass is one durable db-scheduler
 * task ({@code retention}), due daily at 03:00 UTC, one row however many instances share the
 * database; run (made due now through db-scheduler, as a day passing would), it deletes the raw
 * inputs past {@code RETENTION} on the service's clock (worked webhook bodies, delivery ids, pushed
 * trackers) and blanks the closed case's customer e-mail, and nothing else: case records, notes,
 * timelines, an open case's e-mail and the inputs younger than {@code RETENTION} stay.
 */
class RetentionTaskTest {
  static final TaskInstanceId RETENTION =
      TaskInstanceId.of(Worker.RETENTION_TASK, RecurringTask.INSTANCE);

  Desk desk;
  Jdbi jdbi;
  SchedulerClient client;

  @BeforeEach
  void start() {
    // An hour, so that the clock passes it before any timer of the open case falls due.
    desk = Desk.start(Map.of("RETENTION", "PT1H"), Desk.START);
    jdbi = desk.app.database().jdbi();
    client = SchedulerClient.Builder.create(desk.app.database().dataSource()).build();
  }

  @AfterEach
  void stop() {
    desk.close();
  }

  long count(String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  String state(long ticket) {
    return jdbi.withHandle(
        h ->
            h.createQuery("select state from cases where ticket_id = " + ticket)
                .mapTo(String.class)
                .one());
  }

  Optional<ScheduledExecution<Object>> retention() {
    return client.getScheduledExecution(RETENTION);
  }

  static Instant nextThreeUtc(Instant after) {
    Instant today = after.atOffset(ZoneOffset.UTC).with(LocalTime.of(3, 0)).toInstant();
    return today.isAfter(after) ? today : today.plus(Duration.ofDays(1));
  }

  @Test
  void oneDailyTaskForEveryInstance() {
    Instant now = Instant.now();
    assertEquals(
        nextThreeUtc(now), retention().orElseThrow().getExecutionTime(), "due at the next 03:00");
    try (Desk second = desk.startAnother()) {
      assertEquals(
          1,
          count("select count(*) from scheduled_tasks where task_name = 'retention'"),
          "one execution for both instances: db-scheduler gives it to one");
      assertEquals(nextThreeUtc(now), retention().orElseThrow().getExecutionTime());
    }
  }

  @Test
  void theDailyRunDeletesWhatIsPastRetentionAndNothingElse() {
    CaseDriver cases = new CaseDriver(desk);
    cases.openShipped(901, true);
    cases.push(901, "out_for_delivery", "2026-11-26T10:00:00Z", "in_transit", "out_for_delivery");
    cases.awaitInboxWorked();
    desk.stubOrder(Desk.order(CaseDriver.order(902), "cancelled", null, null));
    assertEquals(
        202,
        desk.zendeskWebhook(
                Desk.triggerBody(
                    902, CaseDriver.CREATED, "cancellation_request", "Cancel", "SP-902"),
                "open-902")
            .status());
    cases.update(902, 1);
    assertEquals("closed", desk.caseOf(902).path("stage").asText());
    assertEquals("watching_tracking", desk.caseOf(901).path("stage").asText());
    cases.awaitAllApplied(901);
    cases.awaitAllApplied(902);
    assertEquals(1, count("select count(*) from trackers where tracking_number = '1Z901'"));
    assertTrue(state(902).contains("jane@example.com"), "kept until RETENTION has passed");

    // Ninety minutes later, a new case arrives; then the day's run.
    desk.clock.advance(Duration.ofMinutes(90));
    cases.openNotShipped(903);
    cases.awaitAllApplied(903);
    long writes = count("select count(*) from writes");
    long history = count("select count(*) from case_history");
    assertTrue(count("select count(*) from inbox where ticket_id in (901, 902)") >= 3);
    assertTrue(count("select count(*) from deliveries") >= 3);

    Instant now = Instant.now();
    assertTrue(client.reschedule(RETENTION, now), "the day's execution made due now");
    Desk.await(
        "the retention pass and its next day",
        () -> retention().map(e -> e.getExecutionTime().isAfter(now.plusSeconds(60))).orElse(false),
        Duration.ofSeconds(30));

    assertEquals(0, count("select count(*) from inbox where ticket_id in (901, 902)"));
    assertEquals(
        0,
        count("select count(*) from deliveries where invocation_id in ('open-901', 'open-902')"),
        "the old delivery ids");
    assertEquals(0, count("select count(*) from trackers"), "the old pushed tracker");
    assertTrue(count("select count(*) from inbox where ticket_id = 903") >= 1, "a young input");
    assertEquals(1, count("select count(*) from deliveries where invocation_id = 'open-903'"));
    assertEquals(3, count("select count(*) from cases"), "case records stay");
    assertEquals(writes, count("select count(*) from writes"), "notes stay");
    assertEquals(history, count("select count(*) from case_history"), "timelines stay");
    assertFalse(state(902).contains("jane@example.com"), "the closed case's e-mail: " + state(902));
    assertTrue(state(902).contains("SP-902"), "the rest of its state stays");
    assertTrue(state(901).contains("jane@example.com"), "an open case keeps its e-mail");
    assertTrue(state(903).contains("jane@example.com"));
    assertEquals("closed", desk.caseOf(902).path("stage").asText());
    assertEquals(
        "watching_tracking", desk.caseOf(901).path("stage").asText(), "the open case is as it was");
    assertFalse(desk.caseOf(901).path("timeline").isEmpty());
    assertEquals(
        nextThreeUtc(now), retention().orElseThrow().getExecutionTime(), "and again tomorrow");
  }
}
