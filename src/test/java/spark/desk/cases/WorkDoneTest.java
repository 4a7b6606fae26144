package spark.desk.cases;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import spark.desk.store.InboxStore;

/**
 * A request waiting for its queued input is woken by the work on that input only, without a
 * database read (issue 8, part 3). With no database at all, any read would fail these tests; the
 * waits here are shorter than {@link WorkDone#FALLBACK_CHECK}, the only time a waiter reads.
 */
class WorkDoneTest {
  final WorkDone done = new WorkDone(null, new InboxStore());

  @Test
  void aSignalWakesTheWaiterOfThatInputAndNoOther() throws Exception {
    CompletableFuture<Boolean> other =
        CompletableFuture.supplyAsync(() -> done.await(1, Duration.ofMillis(300)));
    CompletableFuture<Boolean> mine =
        CompletableFuture.supplyAsync(() -> done.await(2, Duration.ofMillis(900)));
    while (!mine.isDone()) {
      done.signal(List.of(2L));
      Thread.onSpinWait();
    }
    assertTrue(mine.get(), "woken by the work on its own input");
    assertFalse(other.get(), "not woken by another input's work");
  }

  @Test
  void anInputWorkedJustBeforeItsRequestWaitsIsSeenWithoutARead() {
    done.signal(List.of(7L));
    assertTrue(done.await(7, Duration.ofMillis(900)));
  }
}
