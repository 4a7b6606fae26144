package spark.desk.demo;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import spark.desk.config.Config;
import spark.desk.shared.DeskException;
import spark.desk.zendesk.Ticket;
import spark.desk.zendesk.TicketUpdate;
import spark.desk.zendesk.Zendesk;

/**
 * The demo's Zendesk account, in the process: its tickets change with the service's updates (tags
 * added and removed, group, status, private notes) and with the visitor's macros, and its trigger
 * sends a cancellation ticket back to the service after every change, as the one {@code provision}
 * sets up does. The four SOP macros exist (ids 1 to 4). Counts every call it answers.
 */
final class DemoZendesk implements Zendesk {
  /** A ticket as the stand-in holds it; read under its own lock. */
  static final class DemoTicket {
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

    DemoTicket(long id, Instant at, String subject, String orderNumber, Set<String> tags) {
      this.id = id;
      this.createdAt = at;
      this.updatedAt = at;
      this.subject = subject;
      this.description = "Hello, please cancel my order " + orderNumber + ". Thanks!";
      this.requesterEmail = "customer" + id + "@example.invalid";
      this.orderNumber = orderNumber;
      this.tags.addAll(tags);
    }

    synchronized Ticket snapshot() {
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

    /** What the start page and the preview show: the ticket as Zendesk holds it. */
    synchronized TicketJson json() {
      return new TicketJson(
          id,
          subject,
          orderNumber,
          status,
          groupId,
          updatedAt,
          List.copyOf(tags),
          List.copyOf(privateNotes));
    }
  }

  /** A ticket on the demo's pages. */
  record TicketJson(
      long id,
      String subject,
      String orderNumber,
      String status,
      Long groupId,
      Instant updatedAt,
      List<String> tags,
      List<String> privateNotes) {}

  private final Clock clock;
  private final Map<Long, DemoTicket> tickets = new ConcurrentHashMap<>();
  private final Map<String, Long> macros = new ConcurrentHashMap<>();
  private final Map<Long, Set<String>> macroTags = new ConcurrentHashMap<>();
  private final AtomicLong served = new AtomicLong();
  private volatile LongConsumer trigger = id -> {};

  DemoZendesk(Clock clock, Config.Macros titles) {
    this.clock = clock;
    List<String> all = titles.all();
    for (int i = 0; i < all.size(); i++) macros.put(all.get(i), (long) i + 1);
    // The Shipped macro adds cxl_refusal_requested, as provision's MacroSpec makes it.
    macroTags.put(macros.get(titles.shipped()), Set.of(spark.desk.sop.Tags.REFUSAL_REQUESTED));
  }

  /** Zendesk's trigger: called (off the caller's thread) after a ticket changed. */
  void onChange(LongConsumer trigger) {
    this.trigger = trigger;
  }

  void create(long id, String subject, String orderNumber, Set<String> tags) {
    tickets.put(id, new DemoTicket(id, clock.instant(), subject, orderNumber, tags));
    trigger.accept(id);
  }

  /** The agent applied a macro in the sidebar: its tags are added (nothing else in the demo). */
  void applyMacro(long ticketId, long macroId) {
    DemoTicket t = ticket(ticketId);
    synchronized (t) {
      t.tags.addAll(macroTags.getOrDefault(macroId, Set.of()));
      t.updatedAt = clock.instant();
    }
    trigger.accept(ticketId);
  }

  List<TicketJson> all() {
    return tickets.values().stream()
        .map(DemoTicket::json)
        .sorted(java.util.Comparator.comparingLong(TicketJson::id))
        .toList();
  }

  Optional<TicketJson> find(long id) {
    return Optional.ofNullable(tickets.get(id)).map(DemoTicket::json);
  }

  long served() {
    return served.get();
  }

  private DemoTicket ticket(long ticketId) {
    DemoTicket t = tickets.get(ticketId);
    if (t == null) throw new DeskException("the demo has no ticket " + ticketId);
    return t;
  }

  @Override
  public Ticket getTicket(long ticketId) {
    served.incrementAndGet();
    return ticket(ticketId).snapshot();
  }

  @Override
  public void apply(long ticketId, TicketUpdate update, boolean mayHaveBeenApplied) {
    served.incrementAndGet();
    DemoTicket t = ticket(ticketId);
    synchronized (t) {
      if (mayHaveBeenApplied && t.privateNotes.contains(update.note())) return;
      t.tags.addAll(update.addTags());
      t.tags.removeAll(update.removeTags());
      t.privateNotes.add(update.note());
      if (update.groupId() != null) t.groupId = update.groupId();
      if (update.status() != null) t.status = update.status();
      else if (t.status.equals("new")) t.status = "open";
      t.updatedAt = clock.instant();
    }
    trigger.accept(ticketId);
  }

  @Override
  public Optional<Long> findMacroId(String title) {
    served.incrementAndGet();
    return Optional.ofNullable(macros.get(title));
  }
}
