package spark.desk.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import spark.desk.config.Config;
import spark.desk.store.Settings;

/**
 * The bearer tokens of the three audiences: from the configuration, else generated once and kept in
 * the database (so every instance and restart agrees). Never logged.
 */
public record Tokens(String app, String logistics, String admin) {

  public static Tokens resolve(Config config, Settings settings) {
    return new Tokens(
        config.appToken().orElseGet(() -> settings.getOrGenerateToken("APP_TOKEN")),
        config.logisticsToken().orElseGet(() -> settings.getOrGenerateToken("LOGISTICS_TOKEN")),
        config.adminToken().orElseGet(() -> settings.getOrGenerateToken("ADMIN_TOKEN")));
  }

  /** Lets the request through only with {@code Authorization: Bearer <expected>}; else 401. */
  public static void require(Context ctx, String expected, String audience) {
    String header = ctx.header("Authorization");
    String given =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).trim()
            : null;
    if (given == null
        || !MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(
          401,
          "unauthorized",
          "a valid " + audience + " token is required (Authorization: Bearer ...)");
    }
  }

  @Override
  public String toString() {
    return "Tokens[***]";
  }
}
