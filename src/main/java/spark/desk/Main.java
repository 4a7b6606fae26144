package spark.desk;

/** Command-line entry: serve (default), provision, simulate FILE, tokens. Wired in later commits. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("Cancellation Desk");
  }
}
