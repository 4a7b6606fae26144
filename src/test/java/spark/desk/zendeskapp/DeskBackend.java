package spark.desk.zendeskapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import spark.desk.App;
import spark.desk.config.Config;
import spark.desk.orders.Order;
import spark.desk.sop.Write;
import spark.desk.tracking.Tracker;
import spark.desk.zendesk.Ticket;
import spark.desk.zendesk.Zendesk;

/**
 * The real service ({@link App}) on a random port with an in-memory database, in shadow mode, with
 * in-memory order system, tracking service and Zendesk behind the service's own ports. Cases are
 * moved along through the service's intake and agent actions, as webhooks and agents would.
 */
final class DeskBackend implements AutoCloseable {

  static final long SHIPPED_MACRO_ID = 360001;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Order> orders = new ConcurrentHashMap<>();
  private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();
  private final Map<Long, Ticket> tickets = new ConcurrentHashMap<>();
  private final List<Write> zendeskWrites = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String token;
  private final App app;

  DeskBackend(String appToken) {
    this.token = appToken;
    Config config =
        Config.fromEnvironment(
            Map.of(
                "PORT", "0",
                // NON_KEYWORDS: the settings table's column "value" is a keyword in H2 2.x.
                "DATABASE_URL",
                "jdbc:h2:mem:sidebar-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;NON_KEYWORDS=VALUE",
                "APP_TOKEN", appToken));
    App.Ports ports =
        new App.Ports(
            number -> Optional.ofNullable(orders.get(number)),
            (number, carrier) -> Optional.ofNullable(trackers.get(number)),
            Optional.of(new InMemoryZendesk()));
    app = App.create(config, ports, Clock.systemUTC()).start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + app.port();
  }

  /** A cancellation request for an order that has shipped and is in transit: SOP step 1.2. */
  void shippedOrderInTransit(long ticketId) {
    Instant now = Instant.now();
    String orderNumber = "SP-" + ticketId;
    String trackingNumber = trackingNumber(ticketId);
    orders.put(
        orderNumber,
        new Order(
            orderNumber, "shipped", trackingNumber, "UPS", now.minus(Duration.ofDays(3)),
            now.minus(Duration.ofDays(1)), null, "jane@example.com",
            new Order.Money("59.90", "USD")));
    Instant scanned = now.minus(Duration.ofHours(2));
    trackers.put(
        trackingNumber,
        new Tracker(
            trackingNumber, "UPS", "in_transit", scanned, null,
            List.of(new Tracker.Event("in_transit", "Departed facility", scanned))));
    Ticket ticket =
        new Ticket(
            ticketId, now.minus(Duration.ofMinutes(30)), now.minus(Duration.ofMinutes(30)), "open",
            Set.of("cancellation_request"), "Please cancel " + orderNumber, "I changed my mind.",
            "jane@example.com", orderNumber);
    tickets.put(ticketId, ticket);
    app.cases().acceptTicket(Optional.empty(), ticket, false);
    awaitDecision(ticketId);
  }

  /** Intake hands the ticket to the service's worker; waits until it has decided step 1. */
  private void awaitDecision(long ticketId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (app.cases().find(ticketId).map(c -> c.sopStep() != null).orElse(false)) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("the service did not decide ticket " + ticketId + " within 10 s");
  }

  /** What the Shipped macro's tag (or the sidebar's button) tells the service. */
  void customerAskedToRefuse(long ticketId) {
    app.cases().agentAction(ticketId, "refusal_requested", "Test Agent");
  }

  /** The parcel reaches the customer after all, and the service looks again: SOP step 4.2. */
  void parcelDeliveredToCustomer(long ticketId) {
    Instant now = Instant.now();
    String trackingNumber = trackingNumber(ticketId);
    Tracker before = trackers.get(trackingNumber);
    List<Tracker.Event> events = new java.util.ArrayList<>(before.events());
    events.add(new Tracker.Event("delivered", "Delivered to the front door", now));
    trackers.put(trackingNumber, new Tracker(trackingNumber, "UPS", "delivered", now, now, events));
    app.cases().agentAction(ticketId, "recheck", "Test Agent");
  }

  /** The case view as the sidebar app's API answers it. */
  JsonNode caseView(long ticketId) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl() + "/api/app/tickets/" + ticketId))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError("GET case " + ticketId + ": " + response.statusCode() + " " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String trackingNumber(long ticketId) {
    return "1Z999AA10" + ticketId;
  }

  @Override
  public void close() {
    app.stop();
  }

  /**
   * Zendesk as far as the sidebar needs it: macro ids by title. Keep or Return is missing on
   * purpose, to show what the agent sees when a macro has not been provisioned.
   */
  private final class InMemoryZendesk implements Zendesk {
    private final Map<String, Long> macros =
        Map.of(
            "Spark Cancellation (Not Shipped)", 360000L,
            "Spark Cancellation (Shipped)", SHIPPED_MACRO_ID,
            "Spark Cancellation (Delivered)", 360002L);

    @Override
    public Ticket getTicket(long ticketId) {
      Ticket ticket = tickets.get(ticketId);
      if (ticket == null) {
        throw new IllegalStateException("no ticket " + ticketId);
      }
      return ticket;
    }

    @Override
    public void apply(long ticketId, Write write, boolean mayHaveBeenApplied) {
      zendeskWrites.add(write);
    }

    @Override
    public Optional<Long> findMacroId(String title) {
      return Optional.ofNullable(macros.get(title));
    }
  }
}
