package spark.desk.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says loudly, at the end of a run, which tests did not run and why: outside CI the browser tests
 * skip without Chromium and the PostgreSQL tests without a reachable PostgreSQL, and a green local
 * {@code mvn verify} must not pass for a complete one. Registered for every JUnit run through
 * {@code META-INF/services}. The build keeps tests' output in files, so the lines also go to {@code
 * target/skipped-tests.txt}, which the pom prints at the end of {@code verify}.
 */
public final class SkippedTestsSummary implements TestExecutionListener {
  private final Map<String, String> skipped = new TreeMap<>();

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    skipped.putIfAbsent(className(test), reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED)
      skipped.putIfAbsent(
          className(test), result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    if (skipped.isEmpty()) return;
    StringBuilder s = new StringBuilder();
    skipped.forEach(
        (type, why) ->
            s.append("SKIPPED, did NOT run: ").append(type).append(": ").append(why).append('\n'));
    System.err.print(s);
    Path file =
        Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")))
            .resolve("target/skipped-tests.txt");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("could not write " + file + ": " + e);
    }
  }

  private static String className(TestIdentifier test) {
    return test.getSource()
        .map(
            s ->
                s instanceof MethodSource m
                    ? m.getClassName()
                    : s instanceof ClassSource c ? c.getClassName() : test.getDisplayName())
        .orElse(test.getDisplayName());
  }
}
