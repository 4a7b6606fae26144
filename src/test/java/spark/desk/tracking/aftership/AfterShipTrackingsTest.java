package spark.desk.tracking.aftership;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tag/subtag mapping of contract section 6b, one row per line of the contract. */
class AfterShipTrackingsTest {
  @ParameterizedTest(name = "{0}/{1} return_to_sender={2} -> {3}")
  @CsvSource(
      nullValues = "NULL",
      value = {
        "Exception, Exception_011, false, return_to_sender",
        "Exception, Exception_010, false, return_to_sender",
        "Delivered, Delivered_001, true, return_to_sender",
        "InTransit, InTransit_002, true, return_to_sender",
        "Delivered, Delivered_001, false, delivered",
        "InfoReceived, InfoReceived_001, false, pre_transit",
        "Pending, Pending_001, false, pre_transit",
        "InTransit, InTransit_002, false, in_transit",
        "OutForDelivery, OutForDelivery_001, false, out_for_delivery",
        "AvailableForPickup, AvailableForPickup_001, false, available_for_pickup",
        "AttemptFail, AttemptFail_001, false, in_transit",
        "Exception, Exception_003, false, failure",
        "Expired, Expired_001, false, unknown",
        "NULL, NULL, false, unknown",
      })
  void mapsTagsAsTheContractSays(String tag, String subtag, boolean returned, String status) {
    assertEquals(status, AfterShipTrackings.status(tag, subtag, returned));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "NULL",
      value = {
        "UPS, ups",
        "Royal Mail, royalmail",
        "DHL Express, dhlexpress",
        "'  ', NULL",
        "NULL, NULL",
      })
  void slugIsTheCarrierInLowerCaseWithoutSpaces(String carrier, String slug) {
    assertEquals(slug, AfterShipTrackings.slug(carrier));
  }
}
