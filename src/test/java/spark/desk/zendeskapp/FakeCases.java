package spark.desk.zendeskapp;

/** Case views as the contract (section 10) shows them, for the WireMock-backed browser test. */
final class FakeCases {
  private FakeCases() {}

  static String shippedAwaitingLogistics(long ticketId, Long macroId) {
    return """
        {"ticketId": %d, "orderNumber": "SP-1", "stage": "awaiting_logistics", "sopStep": "1.2",
         "order": {"status": "shipped", "trackingNumber": "1Z999AA10123456784", "carrier": "UPS",
                   "deliveredAt": null},
         "tracking": {"status": "in_transit", "updatedAt": "2026-11-27T08:00:00Z"},
         "suggestedMacro": {"title": "Spark Cancellation (Shipped)", "id": %s},
         "refusalRequested": false,
         "logistics": {"requestId": 7, "result": "pending", "trackingOutcome": null,
                       "customerOutcome": null},
         "refundEscalated": false,
         "nextAction": "Ask the customer to refuse the parcel: apply Spark Cancellation (Shipped).",
         "timeline": [
           {"at": "2026-11-27T09:00:05Z", "step": "1.2",
            "text": "Order SP-1 is shipped (UPS 1Z999AA10123456784, in transit)."},
           {"at": "2026-11-27T09:00:05Z", "step": "2",
            "text": "Cancellation request filed with logistics (request 7)."}]}
        """
        .formatted(ticketId, macroId);
  }

  static String refusalRequested(long ticketId) {
    return """
        {"ticketId": %d, "orderNumber": "SP-1", "stage": "watching_tracking", "sopStep": "1.2",
         "order": {"status": "shipped", "trackingNumber": "1Z999AA10123456784", "carrier": "UPS",
                   "deliveredAt": null},
         "tracking": {"status": "in_transit", "updatedAt": "2026-11-27T08:00:00Z"},
         "suggestedMacro": null,
         "refusalRequested": true,
         "logistics": {"requestId": 7, "result": "pending", "trackingOutcome": null,
                       "customerOutcome": null},
         "refundEscalated": false,
         "nextAction": "Wait for the logistics result; the parcel's tracking is checked every 4 hours.",
         "timeline": [
           {"at": "2026-11-27T09:00:05Z", "step": "1.2",
            "text": "Order SP-1 is shipped (UPS 1Z999AA10123456784, in transit)."},
           {"at": "2026-11-27T09:00:05Z", "step": "2",
            "text": "Cancellation request filed with logistics (request 7)."},
           {"at": "2026-11-27T09:30:00Z", "step": "1.2",
            "text": "Alex Agent asked the customer to refuse the parcel."}]}
        """
        .formatted(ticketId);
  }

  static String deliveredAfterRefusal(long ticketId) {
    return """
        {"ticketId": %d, "orderNumber": "SP-2", "stage": "awaiting_customer_decision",
         "sopStep": "4.2",
         "order": {"status": "delivered", "trackingNumber": "1Z2", "carrier": "UPS",
                   "deliveredAt": "2026-12-02T15:00:00Z"},
         "tracking": {"status": "delivered", "updatedAt": "2026-12-02T15:00:00Z"},
         "suggestedMacro": {"title": "Spark Cancellation (Keep or Return)", "id": null},
         "refusalRequested": true,
         "logistics": {"requestId": 8, "result": "unsuccessful", "trackingOutcome": "delivered",
                       "customerOutcome": null},
         "refundEscalated": false,
         "nextAction": "Ask the customer whether they keep the order or return it.",
         "timeline": [
           {"at": "2026-11-27T09:00:05Z", "step": "1.2", "text": "Order SP-2 is shipped."},
           {"at": "2026-11-30T11:00:00Z", "step": "3.2", "text": "Logistics: unsuccessful."},
           {"at": "2026-12-02T15:05:00Z", "step": "4.2", "text": "The parcel was delivered."}]}
        """
        .formatted(ticketId);
  }
}
