package spark.desk.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static spark.desk.testing.CaseDriver.CREATED;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.desk.testing.Desk;
import spark.desk.testing.WorkQueue;

/**
 * A timer far off (step 3's follow-up, due on the next working day) is no db-scheduler row when it
 * is decided; the worker's own sweep sets it once the case is due, and it runs with nobody calling
 * {@code runDue}. The service's clock is moved a week on; the scheduler keeps real time, as in
 * production a day simply passes.
 */
class FarTimersTest {
  static final long TICKET = 3101;
  Desk desk;

  @BeforeEach
  void start() {
    desk = Desk.start(Map.of(), Desk.START);
    desk.stubOrder(Desk.order("SP-10001", "processing", null, null));
  }

  @AfterEach
  void stop() {
    desk.close();
  }

  @Test
  void aFollowUpDueTomorrowIsNoTaskTodayAndRunsOnceDueByTheSweep() {
    String body = Desk.triggerBody(TICKET, CREATED, "cancellation_request", "Cancel", "SP-10001");
    assertEquals(202, desk.zendeskWebhook(body, "far-1").status());
    Desk.await("step 1's update", () -> desk.zendeskUpdates(TICKET).size() == 1);
    WorkQueue.awaitEmpty(desk);
    assertEquals(0, timerRows(), "a follow-up due tomorrow is not a task row yet");

    desk.clock.advance(Duration.ofDays(7));
    Desk.await(
        "the step-3 overdue update, set by the sweep",
        () -> desk.zendeskUpdates(TICKET).size() == 2,
        Duration.ofSeconds(30));
    assertTrue(
        desk.zendeskUpdates(TICKET).get(1).toString().contains("cxl_logistics_overdue"),
        desk.zendeskUpdates(TICKET).get(1).toString());
  }

  private int timerRows() {
    return desk.one(
        Integer.class,
        "select count(*) from scheduled_tasks where task_name = 'case-timer' and task_instance = ?",
        "t" + TICKET);
  }
}
