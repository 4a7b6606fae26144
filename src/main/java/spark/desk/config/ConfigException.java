package spark.desk.config;

import spark.desk.shared.DeskException;

/** A configuration value that stops start-up; the message names the variable, never its value. */
public final class ConfigException extends DeskException {
  private final String variable;

  public ConfigException(String variable, String problem) {
    super(variable + " " + problem);
    this.variable = variable;
  }

  public String variable() {
    return variable;
  }
}
