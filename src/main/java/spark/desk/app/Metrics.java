package spark.desk.app;

import spark.desk.metrics.DeskMetrics;

/**
 * The webhook routes' counters, kept under their names ({@code desk_zendesk_webhooks_total}, {@code
 * desk_tracking_pushes_total}) in the Micrometer registry of {@link DeskMetrics}.
 */
public final class Metrics {
  private final DeskMetrics meters;

  public Metrics(DeskMetrics meters) {
    this.meters = meters;
  }

  public void count(String name, String label, String value) {
    meters.count(
        name.endsWith("_total") ? name.substring(0, name.length() - 6) : name, label, value);
  }
}
