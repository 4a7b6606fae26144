package spark.desk.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code demo} refuses: the live service's environment, and bad options (exit 2). */
class DemoCommandTest {
  @TempDir Path data;

  private record Outcome(int code, String err) {}

  private Outcome run(Map<String, String> env, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Demo.run(
            List.of(args),
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            spark.desk.App::create);
    return new Outcome(code, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void refusesModeLiveAndARealZendeskBeforeTouchingAnything() {
    Path folder = data.resolve("demo");
    Outcome live = run(Map.of("MODE", "LIVE"), "--data", folder.toString(), "--port", "0");
    assertEquals(2, live.code());
    assertTrue(live.err().contains("MODE is live"), live.err());

    Outcome real =
        run(
            Map.of("ZENDESK_URL", "https://spark.zendesk.com"),
            "--data",
            folder.toString(),
            "--port",
            "0");
    assertEquals(2, real.code());
    assertTrue(real.err().contains("ZENDESK_URL points at a real Zendesk"), real.err());
    // A name that merely starts like loopback is not loopback.
    assertEquals(
        2, run(Map.of("ZENDESK_URL", "https://127.0.0.1.evil.example"), "--port", "0").code());
    assertFalse(Files.exists(folder), "the refused demo made its folder");
  }

  @Test
  void badOptionsExit2NamingTheOption() {
    assertTrue(run(Map.of(), "--speed", "0").err().contains("--speed must be between"));
    assertTrue(run(Map.of(), "--port", "x").err().contains("--port is not a number"));
    assertTrue(run(Map.of(), "--colour", "red").err().contains("--colour unknown option"));
    assertEquals(2, run(Map.of(), "--data").code());
  }

  @Test
  void theClockStartsOnAWorkingMorning() {
    // Saturday 28 November 2026 starts on Monday the 30th at 09:00 UTC.
    assertEquals(
        "2026-11-30T09:00:00Z", Demo.firstWorkingMorning(LocalDate.of(2026, 11, 28)).toString());
    assertEquals(
        "2026-12-01T09:00:00Z", Demo.firstWorkingMorning(LocalDate.of(2026, 12, 1)).toString());
  }
}
