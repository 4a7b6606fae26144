package spark.desk.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 file's housekeeping, which H2's own cannot keep up with.
 *
 * <p>Every reply that accepts something and every request that changes another system first writes
 * what the service knows to the file ({@link Durability}): one MVStore chunk per such moment, many
 * a second in a burst. (The service used to open H2 with {@code WRITE_DELAY=0}, one chunk per
 * commit, and no background writer at all: the writer thread is also the one that rewrites
 * half-empty chunks, {@code FileStore.doHousekeeping} in H2 2.3.232's source.) A chunk that keeps
 * one live page is never freed: the file grew by about 150 KiB per case (1.4 GB after 9,000 step-1
 * cases in the benchmark) and every chunk's metadata stays on the heap (32,891 {@code SFChunk}
 * objects at 8,800 cases: the "heap per open case" of the benchmark, and the slowdown).
 *
 * <p>This does that rewrite once a second from its own daemon thread through H2's public {@link
 * MVStore#compact(int, int)} ("re-writing partially full chunks"); H2 then drops the emptied chunks
 * once they are older than its {@code RETENTION_TIME} and reuses their space. With H2's default
 * retention of 45 s the rewrite could not keep up (a loop of the service's write pattern: 1.27 GB
 * for 180 MB of live rows, against 1.46 GB with no rewrite at all); with 5 s it stays within 2.5
 * times the live data. {@link Database} therefore opens the file with {@code RETENTION_TIME=5000}
 * unless the URL says otherwise. H2 keeps old chunks that long on the assumption that the operating
 * system has written the new ones to the disk by then ({@code RETENTION_TIME} in H2's reference);
 * so that a power cut cannot break that assumption, each round first forces the file to the disk
 * ({@link MVStore#sync()}), which H2's store commits never do.
 *
 * <p>Only for an embedded file database: a PostgreSQL URL, an in-memory H2 or a second process
 * reaching the file through {@code AUTO_SERVER} has nothing to do here.
 */
public final class H2Housekeeping implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(H2Housekeeping.class);

  /** H2's {@code RETENTION_TIME} for the service's file (see the class comment). */
  static final int RETENTION_MILLIS = 5_000;

  /** Chunks with fewer live bytes than this percentage are rewritten. */
  static final int TARGET_FILL_RATE = 50;

  /**
   * At least this much is rewritten per round (H2's own housekeeping uses its autoCommitMemory).
   */
  private static final int WRITE_BYTES = 4 << 20;

  /** Rounds per tick at most, so a large backlog is worked off without holding the store long. */
  private static final int ROUNDS_PER_TICK = 8;

  private final MVStore store;
  private final ScheduledExecutorService thread;

  private H2Housekeeping(MVStore store, long periodMillis) {
    this.store = store;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "h2-housekeeping");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Starts housekeeping of an embedded H2 file's store. */
  static H2Housekeeping start(MVStore store, long periodMillis) {
    return new H2Housekeeping(store, periodMillis);
  }

  /** The store of the embedded H2 file {@code url} names, when this process opened it. */
  static Optional<MVStore> fileStore(DataSource dataSource, String url) {
    if (!url.startsWith("jdbc:h2:file:")) return Optional.empty();
    try (Connection c = dataSource.getConnection()) {
      if (!(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session))
        return Optional.empty();
      MVStore store = session.getDatabase().getStore().getMvStore();
      if (store.getFileStore() == null) return Optional.empty();
      return Optional.of(store);
    } catch (SQLException e) {
      log.warn("H2 file store not reached: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** Forces the file to the disk, then rewrites half-empty chunks; returns the rounds that did. */
  int tick() {
    int rounds = 0;
    try {
      if (store.isClosed()) return 0;
      store.sync();
      while (rounds < ROUNDS_PER_TICK
          && !store.isClosed()
          && store.compact(TARGET_FILL_RATE, WRITE_BYTES)) rounds++;
    } catch (MVStoreException e) {
      // Closed under us (the service is stopping) or a store problem H2 reports on the next
      // statement anyway: nothing to add here but a quiet line.
      log.debug("H2 housekeeping skipped: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("H2 housekeeping failed: {}", e.toString());
    }
    return rounds;
  }

  /** The fill rate of the file's chunks (live bytes / bytes in chunks), in percent. */
  int chunksFillRate() {
    return store.getFileStore().getChunksFillRate();
  }

  /** Stops the thread and waits for a running round, before the pool closes the database. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
