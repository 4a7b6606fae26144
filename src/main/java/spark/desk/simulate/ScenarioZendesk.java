package spark.desk.simulate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import spark.desk.shared.DeskException;
import spark.desk.zendesk.Ticket;
import spark.desk.zendesk.TicketUpdate;
import spark.desk.zendesk.Zendesk;

/**
 * The Zendesk account of a scenario: its tickets, changed by the scenario's events and by the
 * service's own updates (tags added and removed, group, status, private notes), as Zendesk would.
 * No macros exist, so a suggested macro has no id. Single-threaded, like the simulation.
 */
final class ScenarioZendesk implements Zendesk {
  private final Clock clock;
  private final Map<Long, StandInTicket> tickets = new LinkedHashMap<>();

  /** A ticket as the stand-in holds it. */
  static final class StandInTicket {
    final long id;
    final Instant createdAt;
    final String subject;
    final String description;
    final String requesterEmail;
    final String orderNumber;
    final Set<String> tags = new TreeSet<>();
    final List<String> privateNotes = new ArrayList<>();
    Instant updatedAt;
    String status = "new";
    Long groupId;

    StandInTicket(Scenario.TicketCreated t) {
      this.id = t.ticketId();
      this.createdAt = t.createdAt();
      this.updatedAt = t.at();
      this.subject = t.subject();
      this.description = t.description();
      this.requesterEmail = t.requesterEmail();
      this.orderNumber = t.orderNumber();
      this.tags.addAll(t.tags());
    }

    Ticket snapshot() {
      return new Ticket(
          id,
          createdAt,
          updatedAt,
          status,
          tags,
          subject,
          description,
          requesterEmail,
          orderNumber);
    }
  }

  ScenarioZendesk(Clock clock) {
    this.clock = clock;
  }

  void create(Scenario.TicketCreated t) {
    tickets.put(t.ticketId(), new StandInTicket(t));
  }

  /** An agent's (or a macro's) tag change. */
  void changeTags(long ticketId, Set<String> added, Set<String> removed) {
    StandInTicket t = ticket(ticketId);
    t.tags.addAll(added);
    t.tags.removeAll(removed);
    touch(t);
  }

  Set<Long> ticketIds() {
    return tickets.keySet();
  }

  StandInTicket ticket(long ticketId) {
    StandInTicket t = tickets.get(ticketId);
    if (t == null)
      throw new DeskException("ticket " + ticketId + " does not exist in the scenario");
    return t;
  }

  @Override
  public Ticket getTicket(long ticketId) {
    return ticket(ticketId).snapshot();
  }

  @Override
  public void apply(long ticketId, TicketUpdate write, boolean mayHaveBeenApplied) {
    StandInTicket t = ticket(ticketId);
    if (mayHaveBeenApplied && t.privateNotes.contains(write.note())) return;
    t.tags.addAll(write.addTags());
    t.tags.removeAll(write.removeTags());
    t.privateNotes.add(write.note());
    if (write.groupId() != null) t.groupId = write.groupId();
    if (write.status() != null) t.status = write.status();
    else if (t.status.equals("new")) t.status = "open";
    touch(t);
  }

  @Override
  public Optional<Long> findMacroId(String title) {
    return Optional.empty();
  }

  private void touch(StandInTicket t) {
    t.updatedAt = clock.instant();
  }
}
