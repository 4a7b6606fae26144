package spark.desk.sop;

import java.util.List;

/**
 * What the engine decided for one event.
 *
 * @param next the case after the event
 * @param writes the Zendesk updates to make, in order (usually none or one)
 * @param fileLogisticsRequest step 2: file the cancellation request with the logistics team
 * @param lookupWanted the order (and its tracker) should be looked up and fed back as {@link
 *     Event.OrderLookedUp}, {@link Event.OrderNotFound} or {@link Event.LookupUnavailable}
 * @param history lines for the case's timeline that are not Zendesk writes
 */
public record Result(
    Case next,
    List<Write> writes,
    boolean fileLogisticsRequest,
    boolean lookupWanted,
    List<String> history) {
  public Result {
    writes = List.copyOf(writes);
    history = List.copyOf(history);
  }
}
