package spark.desk;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import spark.desk.config.Config;

/** Issue 14, part 7: weak operator settings stop start-up, naming the variable (exit 2). */
class WeakSettingsTest {
  static final String LONG_A = "a".repeat(32);
  static final String LONG_B = "b".repeat(40);

  record Run(int code, String out, String err) {}

  static Run tokens(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", "jdbc:h2:mem:weak-" + UUID.randomUUID());
    env.putAll(overrides);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            new String[] {"tokens"},
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static void refused(Map<String, String> env, String variable) {
    Run r = tokens(env);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(variable), r.err());
    assertEquals("", r.out(), "nothing printed");
  }

  @Test
  void aShortTokenStopsStartUpNamingIt() {
    refused(Map.of("APP_TOKEN", "short-app-token"), "APP_TOKEN");
    refused(Map.of("LOGISTICS_TOKEN", "a".repeat(31)), "LOGISTICS_TOKEN");
    refused(Map.of("ADMIN_TOKEN", "admin"), "ADMIN_TOKEN");
  }

  @Test
  void oneTokenForTwoAudiencesStopsStartUp() {
    Run r = tokens(Map.of("APP_TOKEN", LONG_A, "ADMIN_TOKEN", LONG_A));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("ADMIN_TOKEN") && r.err().contains("APP_TOKEN"), r.err());
  }

  @Test
  void strongDistinctTokensAreTaken() {
    Run r =
        tokens(
            Map.of("APP_TOKEN", LONG_A, "ADMIN_TOKEN", LONG_B, "LOGISTICS_TOKEN", "c".repeat(64)));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("APP_TOKEN=" + LONG_A), r.out());
  }

  @Test
  void zendeskAndPublicUrlMustBeHttpsExceptOnLoopback() {
    Map<String, String> zendesk =
        Map.of("ZENDESK_EMAIL", "bot@spark.example", "ZENDESK_API_TOKEN", "zd-token");
    Map<String, String> env = new HashMap<>(zendesk);
    env.put("ZENDESK_URL", "http://spark.zendesk.com");
    refused(env, "ZENDESK_URL");
    refused(Map.of("PUBLIC_URL", "http://desk.spark.example"), "PUBLIC_URL");
    for (String local :
        new String[] {"http://localhost:8080", "http://127.0.0.1:9", "http://[::1]:8080"}) {
      env.put("ZENDESK_URL", local);
      env.put("PUBLIC_URL", local);
      assertEquals(0, tokens(env).code(), local);
    }
    env.put("ZENDESK_URL", "https://spark.zendesk.com");
    env.put("PUBLIC_URL", "https://desk.spark.example");
    assertEquals(0, tokens(env).code());
  }

  @Test
  void credentialsInAnyUrlNeverShowInTheLoggedConfiguration() {
    Config c =
        Config.fromEnvironment(
            Map.of(
                "DATABASE_URL",
                "jdbc:postgresql://desk:dbsecret1@db.example/desk?password=dbsecret2",
                "ZENDESK_URL",
                "https://bot:zdsecret@spark.zendesk.com",
                "MODE",
                "shadow",
                "ORDERS_URL",
                "https://shop:ordsecret@orders.example/api?api_key=ordsecret2",
                "TRACKING_URL",
                "https://trk:trksecret@tracking.example"));
    String shown = c.toString();
    for (String secret :
        new String[] {"dbsecret1", "dbsecret2", "zdsecret", "ordsecret", "ordsecret2", "trksecret"})
      assertFalse(shown.contains(secret), secret + " in " + shown);
    assertTrue(shown.contains("orders.example"), "the host is still shown: " + shown);
  }
}
