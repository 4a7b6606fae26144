package spark.desk.simulate;

import spark.desk.shared.DeskException;

/**
 * A scenario file that cannot be run; the message names the problem ({@code events[2].type: ...}).
 */
public final class ScenarioException extends DeskException {
  public ScenarioException(String message) {
    super(message);
  }
}
