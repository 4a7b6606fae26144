package spark.desk.store;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Small values the service keeps for itself, such as the API tokens it generated. */
public final class Settings {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Jdbi jdbi;

  public Settings(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<String> find(String name) {
    return jdbi.withHandle(
        h ->
            h.createQuery("select setting_value from settings where name = :n")
                .bind("n", name)
                .mapTo(String.class)
                .findOne());
  }

  /**
   * The stored value, or a new random token stored once (several instances agree on the first one).
   */
  public String getOrGenerateToken(String name) {
    Optional<String> found = find(name);
    if (found.isPresent()) return found.get();
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    try {
      jdbi.useHandle(
          h ->
              h.createUpdate("insert into settings (name, setting_value) values (:n, :v)")
                  .bind("n", name)
                  .bind("v", token)
                  .execute());
    } catch (RuntimeException raced) {
      // Another instance stored its token first and that one wins; any other failure is rethrown.
      return find(name).orElseThrow(() -> raced);
    }
    return find(name).orElseThrow();
  }

  /**
   * Stores {@code value} under {@code name}, replacing what was there (used for values another
   * process hands over, such as the webhook's signing secret that {@code provision} stores).
   */
  public void put(String name, String value) {
    jdbi.useTransaction(
        h -> {
          int updated =
              h.createUpdate("update settings set setting_value = :v where name = :n")
                  .bind("n", name)
                  .bind("v", value)
                  .execute();
          if (updated > 0) return;
          try {
            h.createUpdate("insert into settings (name, setting_value) values (:n, :v)")
                .bind("n", name)
                .bind("v", value)
                .execute();
          } catch (RuntimeException raced) {
            // Another process inserted it meanwhile: ours is the newer value.
            if (h.createUpdate("update settings set setting_value = :v where name = :n")
                    .bind("n", name)
                    .bind("v", value)
                    .execute()
                == 0) throw raced;
          }
        });
  }
}
