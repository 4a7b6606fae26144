package spark.desk.shared;

/** The one unchecked exception root of the service. */
public class DeskException extends RuntimeException {
  public DeskException(String message) {
    super(message);
  }

  public DeskException(String message, Throwable cause) {
    super(message, cause);
  }
}
