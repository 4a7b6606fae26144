package spark.desk.sop;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The values of the service's configuration that the SOP reads, and nothing else (no database,
 * tokens or addresses). Built from the configuration at the edge.
 *
 * @param cancellationTags a ticket with any of these tags is a cancellation request
 * @param orderNumberPattern finds the order number in a ticket's subject or description (group 1)
 * @param refundGroupId the refunds team's Zendesk group (steps 3.1, 4.1), or null when not set
 * @param salesReturnGroupId the sales return group (steps 1.3, 5.2), or null when not set
 * @param closeWhenOrderKept step 5.1 solves the ticket
 */
public record SopSettings(
    ZoneId businessTimezone,
    Set<String> cancellationTags,
    Pattern orderNumberPattern,
    Macros macros,
    Duration trackingPollInterval,
    Duration trackingWatchLimit,
    Long refundGroupId,
    Long salesReturnGroupId,
    boolean closeWhenOrderKept) {

  public SopSettings {
    if (businessTimezone == null)
      throw new IllegalArgumentException("businessTimezone is required");
    if (orderNumberPattern == null)
      throw new IllegalArgumentException("orderNumberPattern is required");
    if (macros == null) throw new IllegalArgumentException("macros are required");
    if (trackingPollInterval == null || trackingWatchLimit == null)
      throw new IllegalArgumentException("the tracking intervals are required");
    cancellationTags = cancellationTags == null ? Set.of() : Set.copyOf(cancellationTags);
  }

  /** The titles of the four customer macros of contract section 8. */
  public record Macros(String notShipped, String shipped, String delivered, String keepOrReturn) {}
}
