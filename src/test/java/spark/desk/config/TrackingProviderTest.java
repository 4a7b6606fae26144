package spark.desk.config;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TRACKING_PROVIDER and its variables (contract section 2). */
class TrackingProviderTest {
  static Config config(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
    return Config.fromEnvironment(env);
  }

  @Test
  void defaultsFollowTheKeysThatAreSet() {
    assertEquals(TrackingProvider.Kind.HTTP, config().trackingProvider().kind());
    assertEquals(
        TrackingProvider.Kind.EASYPOST, config("EASYPOST_API_KEY", "k").trackingProvider().kind());
    assertEquals(
        TrackingProvider.Kind.AFTERSHIP,
        config("AFTERSHIP_API_KEY", "k").trackingProvider().kind());
    assertEquals(
        TrackingProvider.Kind.AFTERSHIP,
        config("EASYPOST_API_KEY", "k", "AFTERSHIP_API_KEY", "k2", "TRACKING_PROVIDER", "aftership")
            .trackingProvider()
            .kind());
    TrackingProvider p = config().trackingProvider();
    assertEquals("https://api.easypost.com", p.easypostUrl().toString());
    assertEquals("https://api.aftership.com", p.aftershipUrl().toString());
  }

  @Test
  void badValuesNameTheVariable() {
    ConfigException unknown =
        assertThrows(ConfigException.class, () -> config("TRACKING_PROVIDER", "shippo"));
    assertEquals("TRACKING_PROVIDER", unknown.variable());
    ConfigException noKey =
        assertThrows(ConfigException.class, () -> config("TRACKING_PROVIDER", "easypost"));
    assertEquals("EASYPOST_API_KEY", noKey.variable());
    ConfigException badUrl =
        assertThrows(
            ConfigException.class,
            () -> config("AFTERSHIP_API_KEY", "k", "AFTERSHIP_URL", "ftp://x"));
    assertEquals("AFTERSHIP_URL", badUrl.variable());
  }

  @Test
  void keysAndSecretsNeverShowInTheConfigurationText() {
    String text =
        config(
                "EASYPOST_API_KEY", "EZAK-very-secret",
                "EASYPOST_WEBHOOK_SECRET", "ep-hook-secret",
                "AFTERSHIP_API_KEY", "as-very-secret",
                "AFTERSHIP_WEBHOOK_SECRET", "as-hook-secret")
            .toString();
    assertTrue(text.contains("easypost https://api.easypost.com"), text);
    for (String secret :
        new String[] {"EZAK-very-secret", "ep-hook-secret", "as-very-secret", "as-hook-secret"})
      assertFalse(text.contains(secret), text);
  }
}
