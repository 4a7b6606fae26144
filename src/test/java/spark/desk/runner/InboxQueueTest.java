package spark.desk.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import spark.desk.testing.Desk;

/** The in-process inbox queue: one run per ticket at a time, none lost, failures handed on. */
class InboxQueueTest {
  final List<Long> runs = new CopyOnWriteArrayList<>();
  final List<Long> handedOn = new CopyOnWriteArrayList<>();

  @Test
  void aTicketOfferedWhileItRunsRunsOnceMoreAfterwardsAndNeverTwiceAtOnce() throws Exception {
    CountDownLatch inFirstRun = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    int[] running = {0};
    int[] mostAtOnce = {0};
    InboxQueue queue =
        new InboxQueue(
            4,
            id -> {
              synchronized (running) {
                mostAtOnce[0] = Math.max(mostAtOnce[0], ++running[0]);
              }
              runs.add(id);
              if (runs.size() == 1) {
                inFirstRun.countDown();
                await(release);
              }
              synchronized (running) {
                running[0]--;
              }
            },
            handedOn::add);
    assertTrue(queue.offer(7));
    assertTrue(inFirstRun.await(5, TimeUnit.SECONDS));
    assertTrue(queue.offer(7), "offered while it runs");
    assertTrue(queue.offer(7), "and again: still one more run, not two");
    assertTrue(queue.holds(7));
    release.countDown();
    Desk.await("the second run", () -> runs.size() == 2 && !queue.holds(7));
    queue.close();
    queue.awaitRuns(5_000);
    assertEquals(List.of(7L, 7L), runs);
    assertEquals(1, mostAtOnce[0]);
    assertEquals(List.of(), handedOn);
  }

  @Test
  void aRunThatFailsIsHandedToTheDurableQueue() {
    InboxQueue queue =
        new InboxQueue(
            2,
            id -> {
              runs.add(id);
              throw new IllegalStateException("the order system answered 500");
            },
            handedOn::add);
    assertTrue(queue.offer(9));
    Desk.await("the failure handed on", () -> handedOn.equals(List.of(9L)));
    assertFalse(queue.holds(9));
    assertEquals(List.of(9L), runs);
  }

  @Test
  void aClosedQueueTakesNothingAndLetsTheRunInProgressFinish() throws Exception {
    CountDownLatch inRun = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    InboxQueue queue =
        new InboxQueue(
            1,
            id -> {
              runs.add(id);
              if (id == 1) {
                inRun.countDown();
                await(release);
              }
            },
            handedOn::add);
    assertTrue(queue.offer(1));
    assertTrue(inRun.await(5, TimeUnit.SECONDS));
    assertTrue(queue.offer(2), "queued behind ticket 1 on the one thread");
    queue.close();
    assertFalse(queue.offer(3), "refused: the caller queues it durably");
    release.countDown();
    queue.awaitRuns(5_000);
    // Ticket 2 never started: its inputs stay in the inbox for the next start's sweep.
    assertEquals(List.of(1L), runs);
    assertEquals(List.of(), handedOn);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("never released");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
