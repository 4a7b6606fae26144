package spark.desk.check;

/**
 * One thing the service depends on, tested (contract section 8a). Each adapter adds its own: a
 * name, and a {@link #run()} that answers {@link Outcome#ok}, {@link Outcome#fail} (with what to
 * do) or {@link Outcome#skip} (the system is not configured). A check only reads; an exception it
 * throws counts as a failure.
 */
public interface Check {
  String name();

  Outcome run();

  /** What a check found. {@code todo} is set for a failure only. */
  record Outcome(Status status, String detail, String todo) {
    public static Outcome ok(String detail) {
      return new Outcome(Status.OK, detail, null);
    }

    public static Outcome fail(String detail, String todo) {
      return new Outcome(Status.FAIL, detail, todo);
    }

    public static Outcome skip(String detail) {
      return new Outcome(Status.SKIP, detail, null);
    }
  }

  enum Status {
    OK,
    FAIL,
    SKIP
  }

  static Check of(String name, java.util.function.Supplier<Outcome> run) {
    return new Check() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Outcome run() {
        return run.get();
      }
    };
  }
}
