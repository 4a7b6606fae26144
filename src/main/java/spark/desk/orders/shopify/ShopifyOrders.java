package spark.desk.orders.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.OkHttpClient;
import spark.desk.orders.Order;
import spark.desk.orders.OrderSystem;
import spark.desk.shared.UpstreamException;

/**
 * Orders read from Shopify's Admin GraphQL API (contract section 6a, {@code
 * ORDERS_PROVIDER=shopify}), mapped to section 5's {@link Order}. Thread-safe; reads only.
 *
 * <p>Lookup follows shopify.dev/docs/api/admin-graphql/latest/queries/orders: {@code orders(first:
 * 5, query: "name:NUMBER")}. {@code name:} is a token match ({@code name:1001} also finds {@code
 * #1001-A}), so the order is the node whose {@code name} is {@code #NUMBER} or {@code NUMBER}
 * exactly, ignoring case; no exact match is "not found".
 */
public final class ShopifyOrders implements OrderSystem {
  /** Scopes the service needs (shopify.dev/docs/api/usage/access-scopes). */
  public static final String READ_ORDERS = "read_orders";

  /**
   * fulfillmentOrderSubmitCancellationRequest "Requires write_third_party_fulfillment_orders access
   * scope"
   * (shopify.dev/docs/api/admin-graphql/latest/mutations/fulfillmentOrderSubmitCancellationRequest).
   */
  public static final String WRITE_THIRD_PARTY_FULFILLMENT_ORDERS =
      "write_third_party_fulfillment_orders";

  // Fields: shopify.dev/docs/api/admin-graphql/latest/objects/Order (id, name, cancelledAt,
  // displayFulfillmentStatus, email, createdAt, totalPriceSet) and …/objects/Fulfillment
  // (displayStatus, deliveredAt, createdAt, trackingInfo {company number url}). Kept small: its
  // requested cost must fit a development store's bucket.
  static final String FIND_ORDER =
      """
      query CancellationDeskOrder($q: String!) {
        orders(first: 5, query: $q) {
          nodes {
            id name cancelledAt displayFulfillmentStatus email createdAt
            totalPriceSet { shopMoney { amount currencyCode } }
            fulfillments(first: 5) {
              displayStatus deliveredAt createdAt
              trackingInfo(first: 3) { company number url }
            }
          }
        }
      }""";

  // …/objects/FulfillmentOrder: status (FulfillmentOrderStatus), requestStatus
  // (FulfillmentOrderRequestStatus: ACCEPTED, CANCELLATION_REQUESTED, …).
  static final String FIND_FULFILLMENT_ORDERS =
      """
      query CancellationDeskFulfillmentOrders($q: String!) {
        orders(first: 5, query: $q) {
          nodes {
            id name
            fulfillmentOrders(first: 10) { nodes { id status requestStatus } }
          }
        }
      }""";

  static final String CHECK_ACCESS =
      """
      query CancellationDeskCheck {
        shop { name }
        currentAppInstallation { accessScopes { handle } }
      }""";

  private final ShopifyGraphql graphql;
  private final URI shop;

  public ShopifyOrders(OkHttpClient client, URI shop, String apiVersion, String token) {
    this(new ShopifyGraphql(client, shop, apiVersion, token), shop);
  }

  public ShopifyOrders(ShopifyGraphql graphql, URI shop) {
    this.graphql = graphql;
    this.shop = shop;
  }

  public ShopifyGraphql graphql() {
    return graphql;
  }

  @Override
  public Optional<Order> findOrder(String orderNumber) {
    return findNode(FIND_ORDER, orderNumber).map(node -> toOrder(node, orderNumber));
  }

  /** A fulfillment order of a Shopify order (…/objects/FulfillmentOrder). */
  public record FulfillmentOrder(String id, String status, String requestStatus) {
    /** At a fulfillment service that accepted the work and is working on it (contract 6a). */
    public boolean cancellable() {
      return "IN_PROGRESS".equals(status) && "ACCEPTED".equals(requestStatus);
    }

    /** A cancellation request was already sent (by us, before an unknown outcome, or by staff). */
    public boolean cancellationRequested() {
      return requestStatus != null && requestStatus.startsWith("CANCELLATION_");
    }
  }

  /** The order's fulfillment orders; empty when Shopify has no such order. */
  public Optional<List<FulfillmentOrder>> findFulfillmentOrders(String orderNumber) {
    return findNode(FIND_FULFILLMENT_ORDERS, orderNumber)
        .map(
            node -> {
              List<FulfillmentOrder> out = new ArrayList<>();
              for (JsonNode fo : node.path("fulfillmentOrders").path("nodes"))
                out.add(
                    new FulfillmentOrder(
                        fo.path("id").asText(), text(fo, "status"), text(fo, "requestStatus")));
              return out;
            });
  }

  /** What {@code check} reports: whether the token works and has the scopes the service needs. */
  public record Access(boolean ok, String detail, List<String> missingScopes) {
    public Access {
      missingScopes = List.copyOf(missingScopes);
    }
  }

  /**
   * A cheap query: {@code shop { name }} and the app's granted scopes
   * (…/objects/AppInstallation#field-accessScopes). Never throws.
   */
  public Access checkAccess(boolean logisticsThroughShopify) {
    JsonNode data;
    try {
      data = graphql.execute(CHECK_ACCESS, Map.of());
    } catch (UpstreamException e) {
      String why =
          e.status() == 401 || e.status() == 403
              ? "the access token is refused (HTTP "
                  + e.status()
                  + "): set SHOPIFY_ACCESS_TOKEN to the app's Admin API token"
              : e.getMessage();
      return new Access(false, why, List.of());
    }
    Set<String> granted = new TreeSet<>();
    for (JsonNode s : data.path("currentAppInstallation").path("accessScopes"))
      granted.add(s.path("handle").asText());
    List<String> missing = new ArrayList<>();
    if (!granted.contains(READ_ORDERS) && !granted.contains("write_orders"))
      missing.add(READ_ORDERS);
    if (logisticsThroughShopify && !granted.contains(WRITE_THIRD_PARTY_FULFILLMENT_ORDERS))
      missing.add(WRITE_THIRD_PARTY_FULFILLMENT_ORDERS);
    String shopName = data.path("shop").path("name").asText("?");
    if (!missing.isEmpty())
      return new Access(
          false,
          "shop \""
              + shopName
              + "\": the app lacks the scope(s) "
              + String.join(", ", missing)
              + " (granted: "
              + String.join(", ", granted)
              + ")",
          missing);
    return new Access(
        true, "shop \"" + shopName + "\", scopes " + String.join(", ", granted), List.of());
  }

  // ---- lookup and mapping --------------------------------------------------------------------

  private Optional<JsonNode> findNode(String query, String orderNumber) {
    String number = stripHash(orderNumber);
    if (number.isEmpty()) return Optional.empty();
    // Search syntax (shopify.dev/docs/api/usage/search-syntax): a quoted value keeps spaces and
    // special characters in one term.
    String q = "name:\"" + number.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    JsonNode data = graphql.execute(query, Map.of("q", q));
    for (JsonNode node : data.path("orders").path("nodes")) {
      String name = node.path("name").asText("");
      if (name.equalsIgnoreCase(number) || name.equalsIgnoreCase("#" + number))
        return Optional.of(node);
    }
    return Optional.empty();
  }

  static String stripHash(String orderNumber) {
    String n = orderNumber == null ? "" : orderNumber.trim();
    return n.startsWith("#") ? n.substring(1).trim() : n;
  }

  /** One fulfillment as read (…/objects/Fulfillment). */
  private record Shipment(
      String displayStatus,
      Instant deliveredAt,
      Instant createdAt,
      String trackingNumber,
      String carrier) {
    boolean delivered() {
      return deliveredAt != null || "DELIVERED".equals(displayStatus);
    }

    boolean cancelledOrFailed() {
      // FulfillmentDisplayStatus CANCELED / FAILURE: nothing left the warehouse under it.
      return "CANCELED".equals(displayStatus) || "FAILURE".equals(displayStatus);
    }
  }

  /**
   * Contract 6a: {@code cancelledAt} → cancelled; every fulfillment delivered → delivered (at the
   * latest {@code deliveredAt}); a fulfillment with a tracking number → shipped (the most recent
   * one not delivered); otherwise processing.
   */
  Order toOrder(JsonNode node, String asked) {
    List<Shipment> shipments = new ArrayList<>();
    for (JsonNode f : node.path("fulfillments")) {
      String number = null;
      String company = null;
      for (JsonNode t : f.path("trackingInfo")) {
        if (text(t, "number") != null) {
          number = text(t, "number");
          company = text(t, "company");
          break;
        }
      }
      Shipment s =
          new Shipment(
              text(f, "displayStatus"),
              instant(f, "deliveredAt"),
              instant(f, "createdAt"),
              number,
              company);
      if (!s.cancelledOrFailed()) shipments.add(s);
    }
    Comparator<Shipment> newestFirst =
        Comparator.comparing(
                Shipment::createdAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .reversed();
    String status;
    Shipment chosen = null;
    Instant deliveredAt = null;
    if (text(node, "cancelledAt") != null) {
      status = "cancelled";
    } else if (!shipments.isEmpty() && shipments.stream().allMatch(Shipment::delivered)) {
      status = "delivered";
      chosen = shipments.stream().sorted(newestFirst).findFirst().orElseThrow();
      deliveredAt =
          shipments.stream()
              .map(Shipment::deliveredAt)
              .filter(java.util.Objects::nonNull)
              .max(Comparator.naturalOrder())
              .orElse(null);
    } else {
      chosen =
          shipments.stream()
              .filter(s -> s.trackingNumber() != null && !s.delivered())
              .sorted(newestFirst)
              .findFirst()
              .orElse(null);
      status = chosen != null ? "shipped" : "processing";
    }
    JsonNode money = node.path("totalPriceSet").path("shopMoney");
    Order.Money total =
        money.isObject()
            ? new Order.Money(text(money, "amount"), text(money, "currencyCode"))
            : null;
    String name = text(node, "name");
    return new Order(
        stripHash(name == null ? asked : name),
        status,
        chosen == null ? null : chosen.trackingNumber(),
        chosen == null ? null : chosen.carrier(),
        instant(node, "createdAt"),
        chosen == null ? null : chosen.createdAt(),
        deliveredAt,
        text(node, "email"),
        total,
        adminLink(text(node, "id")));
  }

  /**
   * {@code {SHOPIFY_URL}/admin/orders/{numeric id}}: the order's page in the Shopify admin; the
   * numeric id is the last segment of the global id {@code gid://shopify/Order/1234}.
   */
  String adminLink(String gid) {
    if (gid == null) return null;
    String numeric = gid.substring(gid.lastIndexOf('/') + 1);
    if (!numeric.matches("\\d+")) return null;
    return shop.toString().replaceAll("/+$", "") + "/admin/orders/" + numeric;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isMissingNode() || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }

  private static Instant instant(JsonNode n, String field) {
    String v = text(n, field);
    if (v == null) return null;
    try {
      return java.time.OffsetDateTime.parse(v).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new UpstreamException(
          ShopifyGraphql.SYSTEM, 200, false, field + " is not a date-time: " + v, e);
    }
  }
}
