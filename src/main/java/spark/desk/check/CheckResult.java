package spark.desk.check;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One line of {@code check} and one entry of {@code GET /api/status}: {@code {"name", "ok",
 * "detail"}} (contract 8a), plus {@code status} ({@code ok}, {@code fail} or {@code skip}). A
 * skipped check is not a failure, so its {@code ok} is true.
 */
public record CheckResult(String name, boolean ok, String detail, String status) {

  static CheckResult of(String name, Check.Outcome outcome) {
    String detail =
        outcome.todo() == null ? outcome.detail() : outcome.detail() + " (" + outcome.todo() + ")";
    return new CheckResult(
        name,
        outcome.status() != Check.Status.FAIL,
        detail,
        outcome.status().name().toLowerCase(java.util.Locale.ROOT));
  }

  @JsonIgnore
  public boolean failed() {
    return status.equals("fail");
  }

  /** {@code ok NAME: detail}, {@code FAIL NAME: detail (what to do)} or {@code skip ...}. */
  public String line() {
    String word =
        switch (status) {
          case "fail" -> "FAIL";
          case "skip" -> "skip";
          default -> "ok  ";
        };
    return word + " " + name + ": " + detail;
  }
}
