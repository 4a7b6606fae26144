package spark.desk.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import spark.desk.testing.Browser;

/**
 * {@code demo} in the process, in headless Chromium: the start page lists the demo tickets, the
 * sidebar preview of the shipped ticket shows step 1.2 and its macro, and marking its logistics
 * request unsuccessful on the logistics page moves it to 3.2. Every HTTP connection the process
 * opens goes through the JVM's proxy selector (the service's OkHttp clients and the preview's proxy
 * use it), which this test replaces with one that records each address: all must be loopback, while
 * the stand-ins count what they served.
 */
class DemoBrowserTest {
  /** Slower than the default so the shipped parcel's return (two demo days) comes after 3.2. */
  private static final double SPEED = 600;

  @TempDir static Path data;
  private static final List<URI> connections = new CopyOnWriteArrayList<>();
  private static ProxySelector before;
  private static Demo demo;
  private static Browser browser;

  @BeforeAll
  static void start() {
    Browser.assumeAvailable();
    before = ProxySelector.getDefault();
    ProxySelector.setDefault(
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            connections.add(uri);
            return List.of(Proxy.NO_PROXY);
          }

          @Override
          public void connectFailed(URI uri, SocketAddress sa, IOException e) {}
        });
    demo =
        Demo.start(
            new Demo.Options(SPEED, 0, data.resolve("demo")), Map.of(), spark.desk.App::create);
    browser = Browser.start(1280, 1000);
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (demo != null) demo.close();
    ProxySelector.setDefault(before);
  }

  @Test
  void theVisitorMarksTheShippedTicketsRequestAndSeesTheSopReact() throws IOException {
    browser.open(demo.url());
    browser.waitUntil(
        "the four demo tickets with their step",
        () ->
            browser.driver().findElements(By.cssSelector("#tickets tr td.step")).stream()
                        .filter(td -> td.getText().matches("\\d(\\.\\d)?"))
                        .count()
                    == 4
                ? true
                : null);
    List<String> ids =
        browser.driver().findElements(By.cssSelector("#tickets tr")).stream()
            .map(tr -> tr.getAttribute("data-ticket-id"))
            .toList();
    assertEquals(List.of("201", "202", "203", "204"), ids);
    assertEquals(
        "1.2", browser.find(By.cssSelector("#tickets tr[data-ticket-id='202'] td.step")).getText());
    assertEquals(
        demo.url().replace("/demo", "/demo/preview/202"),
        browser
            .find(By.cssSelector("#tickets tr[data-ticket-id='202'] a.preview-link"))
            .getAttribute("href"));
    save(browser.screenshotFullPage(Browser.screenshots().resolve("demo-start.png")));

    browser.find(By.cssSelector("#tickets tr[data-ticket-id='202'] a.preview-link")).click();
    browser.waitForText(By.id("status"), "open");
    assertTrue(notes().get(0).startsWith("Step 1.2: Order shipped"), notes().toString());
    browser.driver().switchTo().frame(browser.find(By.id("sidebar")));
    browser.waitForText(By.cssSelector(".step__number"), "1.2");
    assertEquals(
        "Spark Cancellation (Shipped)", browser.find(By.cssSelector(".macro__title")).getText());
    browser.driver().switchTo().defaultContent();
    save(browser.screenshot(Browser.screenshots().resolve("demo-sidebar.png")));

    browser.open(demo.url().replace("/demo", "/demo/signin/logistics"));
    WebElement unsuccessful =
        browser.find(By.cssSelector("button[aria-label='Unsuccessful, ticket #202']"));
    long markedAt = System.nanoTime();
    unsuccessful.click();
    browser.waitForText(By.id("status"), "Ticket #202 marked unsuccessful.");

    browser.open(demo.url().replace("/demo", "/demo/preview/202"));
    browser.driver().switchTo().frame(browser.find(By.id("sidebar")));
    browser.waitForText(By.cssSelector(".step__number"), "3.2");
    List<String> appLoads = resources();
    browser.driver().switchTo().defaultContent();
    // The browser side: everything the preview and the app in it loaded came from the demo.
    for (String loaded : concat(resources(), appLoads))
      assertTrue(loaded.startsWith(origin()), "the page loaded " + loaded);
    assertTrue(
        appLoads.stream().anyMatch(u -> u.endsWith("/demo/assets/zaf-stub.js")), "" + appLoads);
    double realSeconds = (System.nanoTime() - markedAt) / 1e9;
    assertTrue(realSeconds < 60, "3.2 took " + realSeconds + " s");
    assertTrue(notes().stream().anyMatch(n -> n.startsWith("Step 3.2")), "notes: " + notes());

    // Nothing left the machine: the stand-ins answered, and every connection was to loopback.
    assertTrue(demo.zendeskServed() > 0);
    assertTrue(demo.ordersAndTrackingServed() > 0);
    assertTrue(!connections.isEmpty(), "the proxy selector saw no connection: not watched");
    for (URI uri : connections)
      assertTrue(InetAddress.getByName(uri.getHost()).isLoopbackAddress(), "connected to " + uri);
  }

  @SuppressWarnings("unchecked")
  private static List<String> resources() {
    return (List<String>)
        browser.script(
            "return performance.getEntriesByType('resource').map(function (e) { return e.name; });");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String origin() {
    return demo.url().substring(0, demo.url().length() - "/demo".length()) + "/";
  }

  private static List<String> notes() {
    return browser.driver().findElements(By.cssSelector("#notes li")).stream()
        .map(WebElement::getText)
        .toList();
  }

  /** The README shows the screenshots: docs/ gets a copy of each run's. */
  private static void save(Path screenshot) throws IOException {
    Path docs =
        Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")), "docs");
    Files.createDirectories(docs);
    Files.copy(
        screenshot, docs.resolve(screenshot.getFileName()), StandardCopyOption.REPLACE_EXISTING);
  }
}
