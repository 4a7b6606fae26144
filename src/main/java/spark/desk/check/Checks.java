package spark.desk.check;

import java.util.ArrayList;
import java.util.List;

/** The checks, run in their order; a check that throws is a failure saying why. Thread-safe. */
public final class Checks {
  private final List<Check> checks;

  public Checks(List<Check> checks) {
    this.checks = List.copyOf(checks);
  }

  /** A copy with more checks at the end (for adapters that bring their own). */
  public Checks with(List<Check> more) {
    List<Check> all = new ArrayList<>(checks);
    all.addAll(more);
    return new Checks(all);
  }

  public List<CheckResult> run() {
    List<CheckResult> results = new ArrayList<>();
    for (Check check : checks) {
      Check.Outcome outcome;
      try {
        outcome = check.run();
      } catch (RuntimeException e) {
        outcome =
            Check.Outcome.fail(
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                "see the service's log");
      }
      results.add(CheckResult.of(check.name(), outcome));
    }
    return results;
  }
}
