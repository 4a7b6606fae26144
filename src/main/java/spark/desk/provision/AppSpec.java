package spark.desk.provision;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The sidebar app as this installation needs it (contract section 8): the package and the
 * installation settings {@code name}, {@code backend_url} and the secure {@code backend_token}.
 */
record AppSpec(AppPackage pkg, String backendUrl, String backendToken) {
  static final String NAME = "Cancellation Desk";
  static final String SHORT_DESCRIPTION =
      "Where an order cancellation stands in the SOP, beside the ticket";

  AppSpec {
    Objects.requireNonNull(pkg, "pkg");
    Objects.requireNonNull(backendUrl, "backendUrl");
    Objects.requireNonNull(backendToken, "backendToken");
  }

  Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("name", NAME);
    settings.put("backend_url", backendUrl);
    settings.put("backend_token", backendToken);
    return settings;
  }

  /**
   * What provisioning remembers of the settings it sent to an installation: a hash, since Zendesk
   * never shows the secure token back and the database must not hold a second copy of it.
   */
  String settingsFingerprint(long installationId) {
    String all = installationId + "\n" + NAME + "\n" + backendUrl + "\n" + backendToken;
    return HexFormat.of().formatHex(AppPackage.sha256(all.getBytes(StandardCharsets.UTF_8)));
  }
}
