package spark.desk.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import spark.desk.store.StoredWrite;

/**
 * One line of the trace: one update the service decided for a ticket (contract section 9).
 *
 * @param at the moment of the decision
 * @param tags the tags the update adds, sorted
 */
record TraceLine(
    Instant at,
    long ticketId,
    String step,
    List<String> tags,
    String note,
    String macro,
    Long groupId,
    String status) {
  TraceLine {
    tags = tags.stream().sorted().toList();
  }

  static TraceLine of(StoredWrite w) {
    var write = w.write();
    return new TraceLine(
        w.at(),
        w.ticketId(),
        write.step(),
        List.copyOf(write.addTags()),
        write.note(),
        write.macro(),
        write.groupId(),
        write.status());
  }

  /** One JSON object on one line, its fields in the contract's order. */
  String toJson(ObjectMapper json) {
    ObjectNode line = json.createObjectNode();
    line.put("at", at.toString());
    line.put("ticketId", ticketId);
    line.put("step", step);
    ArrayNode t = line.putArray("tags");
    tags.forEach(t::add);
    line.put("note", note);
    line.put("macro", macro);
    line.put("groupId", groupId);
    line.put("status", status);
    return line.toString();
  }
}
