package spark.desk;

import java.io.PrintStream;
import java.util.List;
import spark.desk.config.Config;

/** {@code simulate FILE}: not built yet (issue "Steps 2 to 5"). */
final class Simulation {
  private Simulation() {}

  static int main(Config config, List<String> args, PrintStream out, PrintStream err) {
    err.println("simulate is not available in this build yet");
    return 1;
  }
}
