package spark.desk.store;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import spark.desk.shared.DeskException;

/**
 * The points at which what the service knows must be in the database file: before a reply accepts
 * anything (a webhook's 202, a logistics result, an agent's action) and before a request changes
 * another system (a Zendesk update, a logistics submission).
 *
 * <p>The embedded H2 file commits in memory and writes its chunk to the file in the background
 * (H2's {@code WRITE_DELAY}, 500 ms by default), so the service's dozen commits per case cost one
 * write of the pages they changed, not a dozen. It used to open the file with {@code WRITE_DELAY=0}
 * instead, which writes one chunk per commit: serializing those pages was a third of the CPU of a
 * burst. What the delay alone would risk, a process killed before the background write, losing
 * something already acknowledged or already sent, is closed here: {@link #sync()} writes every
 * change made so far, by any connection, before the reply or the outgoing request. H2's {@code
 * MVStore.commit()} stores the whole store in order, so one sync covers every earlier commit;
 * concurrent callers queue on H2's store lock and the later ones find little or nothing left to
 * write (a group commit).
 *
 * <p>What a kill may still lose is work nobody was told of: an input marked worked, a decision not
 * yet sent. Both are done again after a restart (the inbox row is still waiting; an update counted
 * as attempted is looked for in Zendesk before it is sent again), as after any crash.
 *
 * <p>PostgreSQL makes each commit durable itself, and an in-memory H2 has no file: for them there
 * is nothing to do. An operator who sets {@code WRITE_DELAY=0} in {@code DATABASE_URL} gets H2's
 * old behaviour, and each sync finds nothing left.
 */
public final class Durability {
  private static final Set<MVStore> files = ConcurrentHashMap.newKeySet();

  private Durability() {}

  static void opened(MVStore store) {
    files.add(store);
  }

  static void closing(MVStore store) {
    files.remove(store);
  }

  /**
   * Writes every change committed so far to the embedded database files this process opened;
   * returns at once when there is none (PostgreSQL, in-memory H2) or nothing is unsaved.
   *
   * @throws DeskException when the file cannot be written: the caller must not acknowledge or send
   */
  public static void sync() {
    for (MVStore store : files) {
      if (store.isClosed()) continue;
      try {
        store.commit();
      } catch (MVStoreException e) {
        if (store.isClosed()) continue; // closed under us: H2 wrote everything as it closed
        throw new DeskException("the database file could not be written: " + e.getMessage(), e);
      }
    }
  }
}
