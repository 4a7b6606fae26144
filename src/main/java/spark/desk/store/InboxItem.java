package spark.desk.store;

import java.time.Instant;

/** An accepted input, stored before its reply, waiting to be worked on. */
public record InboxItem(long id, long ticketId, String kind, String payload, Instant receivedAt) {
  /** The kinds of input a ticket's inbox holds. */
  public static final String TICKET = "ticket";

  public static final String ZENDESK_EVENT = "zendesk_event";
  public static final String TRACKER = "tracker";
  public static final String LOGISTICS_RESULT = "logistics_result";
  public static final String AGENT_ACTION = "agent_action";
}
