package spark.desk.logistics.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.desk.cases.CaseService;
import spark.desk.orders.shopify.ShopifyOrders;
import spark.desk.orders.shopify.ShopifyOrders.FulfillmentOrder;
import spark.desk.shared.UpstreamException;
import spark.desk.sop.Case;
import spark.desk.store.CaseStore;

/**
 * Step 2 through the 3PL ({@code LOGISTICS_CHANNEL=shopify}, contract 6a): each filed logistics
 * request becomes a {@code fulfillmentOrderSubmitCancellationRequest} for every fulfillment order
 * of the order that is {@code IN_PROGRESS} with request status {@code ACCEPTED} (at a fulfillment
 * service), and Shopify's {@code fulfillment_orders/cancellation_request_accepted} / {@code
 * _rejected} webhooks are the logistics result (3.1 / 3.2), recorded with {@code by = "shopify"}.
 * An order with nothing at a fulfillment service stays with the logistics page for that case.
 *
 * <p>Exactly once: the submission is stored in the transaction that files the request, claimed in a
 * committed update before Shopify is called, and a retry after an unknown outcome first reads the
 * fulfillment orders again: one whose request status is already {@code CANCELLATION_*} is not asked
 * twice. Webhook results go through {@link CaseService#recordLogisticsResult}, which records a
 * result once and treats the same result again as a no-op. Thread-safe.
 */
public final class ShopifyChannel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShopifyChannel.class);

  /** A claim older than this is taken as a crashed or failed attempt and tried again. */
  static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(2);

  public static final String ACCEPTED_TOPIC = "fulfillment_orders/cancellation_request_accepted";
  public static final String REJECTED_TOPIC = "fulfillment_orders/cancellation_request_rejected";

  // shopify.dev/docs/api/admin-graphql/latest/mutations/fulfillmentOrderSubmitCancellationRequest
  static final String SUBMIT =
      """
      mutation CancellationDeskCancellationRequest($id: ID!, $message: String) {
        fulfillmentOrderSubmitCancellationRequest(id: $id, message: $message) {
          fulfillmentOrder { id status requestStatus }
          userErrors { field message }
        }
      }""";

  private final Jdbi jdbi;
  private final ShopifyChannelStore store;
  private final CaseStore cases;
  private final CaseService service;
  private final ShopifyOrders shopify;
  private final Clock clock;
  private final ExecutorService now =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "shopify-channel");
            t.setDaemon(true);
            return t;
          });

  public ShopifyChannel(
      Jdbi jdbi, CaseStore cases, CaseService service, ShopifyOrders shopify, Clock clock) {
    this.jdbi = jdbi;
    this.store = new ShopifyChannelStore(jdbi);
    this.cases = cases;
    this.service = service;
    this.shopify = shopify;
    this.clock = clock;
  }

  /**
   * Called inside the transaction that files a logistics request (step 2): stores the submission
   * with it, and makes it right after the commit (the worker's tick retries anything left).
   */
  public void filed(Handle h, long requestId, Case c, Instant at) {
    if (c.orderNumber() == null) return;
    store.addSubmission(h, requestId, c.ticketId(), c.orderNumber(), at);
    h.afterCommit(this::submitSoon);
  }

  /** Work for the worker's tick: submissions not yet made, webhook results not yet recorded. */
  public void tick() {
    submitDue();
    recordResults();
  }

  private void submitSoon() {
    try {
      now.execute(this::tick);
    } catch (RejectedExecutionException e) {
      // Shutting down: the next start's tick picks it up.
    }
  }

  // ---- step 2 ----------------------------------------------------------------------------------

  /** Makes every submission that is due (or whose earlier attempt never finished). */
  public synchronized void submitDue() {
    Instant at = clock.instant();
    Instant stale = at.minus(CLAIM_TIMEOUT);
    for (ShopifyChannelStore.Submission s : store.toSubmit(stale)) {
      if (!store.claim(s, at, stale)) continue;
      try {
        submit(s);
      } catch (UpstreamException e) {
        // The claim stays: once it is stale the next round re-reads the fulfillment orders, so a
        // call that reached Shopify before the failure is not repeated.
        log.warn(
            "ticket {}: cancellation request through Shopify not sent yet: {}",
            s.ticketId(),
            e.getMessage());
        store.noteFailure(s.requestId(), e.getMessage(), clock.instant());
      }
    }
  }

  private void submit(ShopifyChannelStore.Submission s) {
    Optional<List<FulfillmentOrder>> found = shopify.findFulfillmentOrders(s.orderNumber());
    if (found.isEmpty()) {
      toPage(s, "Shopify does not know order " + s.orderNumber() + ".");
      return;
    }
    List<FulfillmentOrder> asked = new ArrayList<>();
    List<FulfillmentOrder> toAsk = new ArrayList<>();
    for (FulfillmentOrder fo : found.get()) {
      if (fo.cancellationRequested()) asked.add(fo);
      else if (fo.cancellable()) toAsk.add(fo);
    }
    if (asked.isEmpty() && toAsk.isEmpty()) {
      toPage(
          s,
          "No fulfillment order of order "
              + s.orderNumber()
              + " is in progress at a fulfillment service ("
              + describe(found.get())
              + ").");
      return;
    }
    // Linked before the call, so a webhook that beats our commit still finds the request.
    jdbi.useTransaction(
        h -> {
          for (FulfillmentOrder fo : asked) store.linkFulfillmentOrder(h, fo.id(), s.requestId());
          for (FulfillmentOrder fo : toAsk) store.linkFulfillmentOrder(h, fo.id(), s.requestId());
        });
    List<String> sent = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (FulfillmentOrder fo : toAsk) {
      Map<String, Object> vars = new LinkedHashMap<>();
      vars.put("id", fo.id());
      vars.put("message", message(s));
      JsonNode data = shopify.graphql().execute(SUBMIT, vars);
      JsonNode errors = data.path("fulfillmentOrderSubmitCancellationRequest").path("userErrors");
      if (errors.isArray() && !errors.isEmpty()) {
        List<String> why = new ArrayList<>();
        errors.forEach(e -> why.add(e.path("message").asText()));
        refused.add(fo.id() + ": " + String.join("; ", why));
      } else {
        sent.add(fo.id());
      }
    }
    asked.forEach(fo -> sent.add(fo.id() + " (already " + fo.requestStatus() + ")"));
    if (sent.isEmpty()) {
      toPage(s, "Shopify refused the cancellation request: " + String.join(", ", refused) + ".");
      return;
    }
    String line =
        "Cancellation request sent through Shopify to the fulfillment service (fulfillment order "
            + String.join(", ", sent)
            + "); its answer comes back as the logistics result."
            + (refused.isEmpty() ? "" : " Refused: " + String.join(", ", refused) + ".");
    finish(s, "submitted", line);
  }

  private void toPage(ShopifyChannelStore.Submission s, String why) {
    finish(
        s,
        "page",
        why + " The cancellation request stays with the logistics team on the logistics page.");
  }

  private void finish(ShopifyChannelStore.Submission s, String state, String line) {
    Instant at = clock.instant();
    jdbi.useTransaction(
        h -> {
          store.finish(h, s.requestId(), state, line, at);
          if (cases.exists(h, s.ticketId())) cases.addHistory(h, s.ticketId(), at, "2", line);
        });
    log.info("ticket {}: {}", s.ticketId(), line);
  }

  /** Names the ticket and the SOP step (contract 6a). */
  private static String message(ShopifyChannelStore.Submission s) {
    return "Cancellation Desk: the customer asked to cancel order "
        + s.orderNumber()
        + " (Zendesk ticket "
        + s.ticketId()
        + ", SOP step 2). Please stop the shipment and accept or reject this request.";
  }

  private static String describe(List<FulfillmentOrder> fos) {
    if (fos.isEmpty()) return "it has none";
    List<String> parts = new ArrayList<>();
    for (FulfillmentOrder fo : fos) parts.add(fo.status() + "/" + fo.requestStatus());
    return String.join(", ", parts);
  }

  // ---- step 3: webhook results -----------------------------------------------------------------

  /** What intake did with a signed Shopify delivery. */
  public enum Intake {
    ACCEPTED,
    DUPLICATE,
    IGNORED
  }

  /** Stores a signed delivery durably (before the reply); the result is recorded right after. */
  public Intake accept(String webhookId, String topic, String fulfillmentOrderId, String message) {
    if (!ACCEPTED_TOPIC.equals(topic) && !REJECTED_TOPIC.equals(topic)) return Intake.IGNORED;
    if (!store.addDelivery(webhookId, topic, fulfillmentOrderId, message, clock.instant()))
      return Intake.DUPLICATE;
    submitSoon();
    return Intake.ACCEPTED;
  }

  /** Records every stored webhook result on its logistics request (3.1 accepted, 3.2 rejected). */
  public synchronized void recordResults() {
    for (ShopifyChannelStore.Delivery d : store.pendingDeliveries()) {
      Optional<Long> request = store.requestOf(d.fulfillmentOrderId());
      String outcome;
      if (request.isEmpty()) {
        outcome = "no logistics request asked to cancel " + d.fulfillmentOrderId();
        log.warn("Shopify webhook {}: {}", d.webhookId(), outcome);
      } else {
        try {
          outcome =
              service
                  .recordLogisticsResult(
                      request.get(), ACCEPTED_TOPIC.equals(d.topic()), "shopify", d.message())
                  .name()
                  .toLowerCase(java.util.Locale.ROOT);
        } catch (RuntimeException e) {
          log.warn(
              "Shopify webhook {}: result not recorded yet: {}", d.webhookId(), e.getMessage());
          continue;
        }
      }
      store.markProcessed(d.webhookId(), outcome, clock.instant());
    }
  }

  @Override
  public void close() {
    now.shutdownNow();
  }
}
