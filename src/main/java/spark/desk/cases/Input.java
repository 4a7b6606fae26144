package spark.desk.cases;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import spark.desk.shared.DeskException;
import spark.desk.shared.Json;
import spark.desk.tracking.Tracker;
import spark.desk.zendesk.Ticket;

/**
 * One accepted input of a ticket, as the inbox stores it: its {@code kind} column and its JSON
 * payload (the shapes rows written by earlier versions have, so a stored input always reads back).
 */
public sealed interface Input {
  String kind();

  /** A ticket snapshot from a Zendesk webhook; {@code readOrderField}: read it from Zendesk. */
  record TicketSeen(Ticket ticket, boolean readOrderField) implements Input {
    public String kind() {
      return "ticket";
    }
  }

  /** A tracker pushed by the tracking service (stored as the tracker itself). */
  record TrackerPushed(Tracker tracker) implements Input {
    public String kind() {
      return "tracker";
    }
  }

  /** The logistics team's result (contract section 11). */
  record LogisticsAnswered(boolean successful, String by, String note, Instant at)
      implements Input {
    public String kind() {
      return "logistics_result";
    }
  }

  /** An agent's action from the sidebar app ({@code recheck}, {@code refusal_requested}, ...). */
  record AgentAsked(String action, String agent) implements Input {
    public String kind() {
      return "agent_action";
    }
  }

  /** The payload column. */
  static String payload(Input input) {
    Object body = input instanceof TrackerPushed t ? t.tracker() : input;
    try {
      return mapper().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new DeskException("cannot serialise " + input.kind() + " input", e);
    }
  }

  /** Reads a stored input back; one that cannot be read is a {@link DeskException}. */
  static Input read(String kind, String payload) {
    Class<?> type =
        switch (kind) {
          case "ticket" -> TicketSeen.class;
          case "tracker" -> Tracker.class;
          case "logistics_result" -> LogisticsAnswered.class;
          case "agent_action" -> AgentAsked.class;
          default -> throw new DeskException("unknown inbox item kind " + kind);
        };
    try {
      Object read = mapper().readValue(payload, type);
      return read instanceof Tracker t ? new TrackerPushed(t) : (Input) read;
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new DeskException("stored " + kind + " input does not parse: " + e.getMessage(), e);
    }
  }

  private static ObjectMapper mapper() {
    return Json.mapper();
  }
}
