package spark.desk.zendeskapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The checks Zendesk applies when an app is uploaded (its app validator: manifest, translations,
 * locations, parameters, v2-only layout) plus ours (logos, every UI string translated). Run on the
 * source tree by {@link ZendeskAppPackageTest} and on the built zip by {@link ZendeskAppZipIT}.
 */
abstract class ZendeskAppRules {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LOCALE = Pattern.compile("^[a-z]{2}(-\\w{2,3})?$");
  private static final Set<String> PARAMETER_TYPES =
      Set.of("text", "password", "checkbox", "url", "number", "multiline", "hidden", "oauth");
  private static final Set<String> SUPPORT_LOCATIONS =
      Set.of(
          "ticket_sidebar",
          "new_ticket_sidebar",
          "user_sidebar",
          "organization_sidebar",
          "top_bar",
          "nav_bar",
          "ticket_editor",
          "background",
          "modal");
  private static final Pattern SECRET_NAME =
      Pattern.compile("token|key|pwd|password", Pattern.CASE_INSENSITIVE);
  private static final Pattern T_CALL = Pattern.compile("\\bt\\('(sidebar\\.[\\w.]*\\w)'");

  abstract ZendeskAppFiles app();

  JsonNode manifest() {
    return json("manifest.json");
  }

  JsonNode json(String path) {
    try {
      JsonNode node = JSON.readTree(app().bytes(path));
      assertTrue(node.isObject(), path + " is a JSON object");
      return node;
    } catch (IOException e) {
      throw new AssertionError(path + " is not JSON: " + e.getMessage(), e);
    }
  }

  @Test
  void manifestHasTheFieldsZendeskRequiresWithTheirTypes() {
    JsonNode m = manifest();
    assertEquals("Cancellation Desk", text(m, "name"));
    JsonNode author = m.path("author");
    assertTrue(author.isObject(), "author is an object");
    for (String field : List.of("name", "email", "url")) {
      assertFalse(text(author, field).isBlank(), "author." + field);
    }
    assertTrue(text(author, "email").contains("@"), "author.email is an address");
    assertTrue(text(author, "url").startsWith("https://"), "author.url is an https URL");
    assertTrue(m.path("private").isBoolean(), "private is a boolean");
    assertTrue(m.path("private").booleanValue(), "the app is private (uploaded, not listed)");
    assertEquals("1.0.0", text(m, "version"));
    assertEquals("2.0", text(m, "frameworkVersion"), "ZAF v2");
  }

  @Test
  void defaultLocaleHasATranslationFile() {
    String locale = text(manifest(), "defaultLocale");
    assertTrue(LOCALE.matcher(locale).matches(), "defaultLocale is a locale: " + locale);
    assertTrue(app().has("translations/" + locale + ".json"), "translations/" + locale + ".json");
  }

  @Test
  void translationFilesAreJsonObjectsNamedByLocale() {
    for (String path : app().paths()) {
      if (path.startsWith("translations/")) {
        String locale = path.substring("translations/".length()).replaceFirst("\\.json$", "");
        assertTrue(path.endsWith(".json") && LOCALE.matcher(locale).matches(), path);
        json(path);
      }
    }
  }

  @Test
  void englishTranslationsHaveTheAppNameDescriptionAndSettingLabels() {
    JsonNode appStrings = json("translations/en.json").path("app");
    assertEquals(text(manifest(), "name"), text(appStrings, "name"));
    assertFalse(text(appStrings, "short_description").isBlank(), "app.short_description");
    assertFalse(text(appStrings, "installation_instructions").isBlank());
    for (JsonNode parameter : manifest().path("parameters")) {
      String name = text(parameter, "name");
      assertFalse(
          text(appStrings.path("parameters").path(name), "label").isBlank(),
          "app.parameters." + name + ".label");
    }
  }

  @Test
  void sidebarLocationPointsAtAnAssetThatExists() {
    JsonNode location = manifest().path("location");
    assertEquals(List.of("support"), fieldNames(location), "only Zendesk Support hosts the app");
    for (String name : fieldNames(location.path("support"))) {
      assertTrue(SUPPORT_LOCATIONS.contains(name), "known Support location: " + name);
    }
    JsonNode sidebar = location.path("support").path("ticket_sidebar");
    String url = text(sidebar, "url");
    assertEquals("assets/iframe.html", url);
    URI uri = URI.create(url);
    assertFalse(uri.isAbsolute(), "served from the app's own assets");
    assertTrue(app().has(uri.getPath()), "the location's page exists: " + url);
    assertTrue(sidebar.path("flexible").isBoolean(), "flexible is a boolean");
  }

  @Test
  void parametersAreTheBackendUrlAndASecureToken() {
    JsonNode parameters = manifest().path("parameters");
    assertTrue(parameters.isArray(), "parameters is an array");
    Set<String> names = new HashSet<>();
    for (JsonNode p : parameters) {
      String name = text(p, "name");
      assertTrue(names.add(name), "parameter names are unique: " + name);
      assertFalse(name.equals("name"), "'name' is reserved");
      assertTrue(PARAMETER_TYPES.contains(text(p, "type")), name + " has a known type");
      for (String flag : List.of("required", "secure")) {
        assertTrue(p.path(flag).isMissingNode() || p.path(flag).isBoolean(), name + "." + flag);
      }
      if (SECRET_NAME.matcher(name).find()) {
        assertTrue(p.path("secure").asBoolean(), name + " looks secret, so it must be secure");
      }
      if (p.path("secure").asBoolean()) {
        assertFalse(p.has("default"), "a secure setting has no default: " + name);
      }
    }
    assertEquals(Set.of("backend_url", "backend_token"), names);
    JsonNode url = parameter("backend_url");
    assertEquals("url", text(url, "type"));
    assertTrue(url.path("required").asBoolean());
    JsonNode token = parameter("backend_token");
    assertEquals("text", text(token, "type"));
    assertTrue(token.path("secure").asBoolean(), "the token never reaches the browser");
    assertTrue(token.path("required").asBoolean());
    assertEquals(
        List.of("header"),
        JSON.convertValue(token.path("scopes"), List.class),
        "the token may only be substituted into request headers");
  }

  @Test
  void hasNoFilesOfAVersionOneApp() {
    for (String path : app().paths()) {
      assertTrue(
          path.equals("manifest.json")
              || path.startsWith("assets/")
              || path.startsWith("translations/"),
          "only manifest.json, assets/ and translations/ at the root: " + path);
    }
    for (String v1 : List.of("app.js", "app.css", "templates/layout.hdbs", "lib/")) {
      assertFalse(app().paths().stream().anyMatch(p -> p.startsWith(v1)), "no v1 file " + v1);
    }
  }

  @Test
  void logosHaveTheSizesZendeskAsksFor() {
    assertPng("assets/logo.png", 320);
    assertPng("assets/logo-small.png", 128);
  }

  @Test
  void iframeLoadsTheZafSdkAndTheAppModule() {
    String html = app().text("assets/iframe.html");
    assertTrue(
        html.contains(
            "<script src=\"https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js\">"),
        "loads ZAF SDK 2.0");
    assertTrue(html.contains("<script type=\"module\" src=\"app.js\">"), "loads app.js");
    Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
    while (refs.find()) {
      String ref = refs.group(1);
      if (!URI.create(ref).isAbsolute()) {
        assertTrue(
            app().has("assets/" + ref), "iframe.html refers to an asset that exists: " + ref);
      }
    }
  }

  @Test
  void onlyZafJsTalksToTheZafClient() {
    for (String path : app().paths()) {
      if (path.endsWith(".js") && !path.equals("assets/zaf.js")) {
        String js = app().text(path);
        assertFalse(js.contains("ZAFClient"), path + " leaves the ZAF client to zaf.js");
        assertFalse(js.contains("client."), path + " leaves the ZAF client to zaf.js");
      }
    }
  }

  @Test
  void i18nModuleCarriesTheEnglishTranslations() throws IOException {
    String module = app().text("assets/i18n.js");
    int start = module.indexOf("export default");
    assertTrue(start >= 0, "i18n.js is an ES module with a default export");
    String literal = module.substring(start + "export default".length()).trim();
    assertTrue(literal.endsWith(";"));
    JsonNode carried = JSON.readTree(literal.substring(0, literal.length() - 1));
    assertEquals(json("translations/en.json"), carried, "i18n.js is translations/en.json");
  }

  @Test
  void everyStringTheSidebarShowsIsTranslated() {
    JsonNode sidebar = json("translations/en.json");
    List<String> missing = new ArrayList<>();
    Matcher calls = T_CALL.matcher(app().text("assets/app.js"));
    while (calls.find()) {
      checkKey(sidebar, calls.group(1), missing);
    }
    Map<String, List<String>> contractValues =
        Map.of(
            "sidebar.stages",
            List.of(
                "needs_order_number",
                "order_not_found",
                "lookup_failed",
                "awaiting_logistics",
                "watching_tracking",
                "awaiting_customer_decision",
                "refund_escalated",
                "order_kept",
                "sales_return",
                "closed"),
            "sidebar.steps",
            List.of("1", "1_1", "1_2", "1_3", "3", "3_1", "3_2", "4", "4_1", "4_2", "5_1", "5_2"),
            "sidebar.actions",
            List.of("refusal_requested", "customer_keeps", "customer_returns", "recheck"),
            "sidebar.order_status",
            List.of("pending", "processing", "shipped", "delivered", "cancelled"),
            "sidebar.tracking_status",
            List.of(
                "unknown",
                "pre_transit",
                "in_transit",
                "out_for_delivery",
                "delivered",
                "available_for_pickup",
                "return_to_sender",
                "failure",
                "cancelled",
                "error"),
            "sidebar.logistics_result",
            List.of("pending", "successful", "unsuccessful"),
            "sidebar.tracking_outcome",
            List.of("return_to_sender", "delivered"),
            "sidebar.customer_outcome",
            List.of("order_kept", "sales_return"));
    contractValues.forEach(
        (group, values) -> values.forEach(v -> checkKey(sidebar, group + "." + v, missing)));
    assertEquals(List.of(), missing, "keys missing from translations/en.json");
  }

  private static void checkKey(JsonNode root, String key, List<String> missing) {
    JsonNode node = root;
    for (String part : key.split("\\.")) {
      node = node.path(part);
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      missing.add(key);
    }
  }

  private JsonNode parameter(String name) {
    for (JsonNode p : manifest().path("parameters")) {
      if (name.equals(p.path("name").asText())) {
        return p;
      }
    }
    return fail("no parameter " + name);
  }

  private void assertPng(String path, int size) {
    byte[] bytes = app().bytes(path);
    assertTrue(
        bytes.length > 8 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G',
        path + " is PNG");
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      assertEquals(size, image.getWidth(), path + " width");
      assertEquals(size, image.getHeight(), path + " height");
    } catch (IOException e) {
      throw new AssertionError(path + " does not decode", e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    assertTrue(value.isTextual(), field + " is a string, found " + value);
    return value.asText();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
