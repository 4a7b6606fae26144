package spark.desk.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium for tests, driven through Selenium with the system's chromium and
 * chromedriver (Debian packages {@code chromium} and {@code chromium-driver}), so Selenium Manager
 * never downloads anything. Each instance has a fresh profile and its own downloads folder, both
 * deleted on {@link #close()}. Not thread-safe: one test thread per browser.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final int WAIT_SECONDS = 30;

  /**
   * Selenium warns on every start that it has no DevTools bindings for this Chromium version; the
   * tests use none. Held in a field because java.util.logging keeps loggers only weakly.
   */
  private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  private final Path profile;
  private final Path downloads;
  private final ChromeDriver driver;

  private Browser(Path profile, Path downloads, ChromeDriver driver) {
    this.profile = profile;
    this.downloads = downloads;
    this.driver = driver;
  }

  /**
   * Skips the calling test when Chromium is not installed, except in CI ({@code CI=true}), where a
   * missing browser is a broken build and fails loudly instead of silently skipping the browser
   * tests.
   */
  public static void assumeAvailable() {
    if (Files.isExecutable(CHROMIUM)) return;
    String why = CHROMIUM + " is missing (apt-get install -y chromium chromium-driver)";
    if ("true".equals(System.getenv("CI"))) fail("CI=true and " + why);
    Assumptions.abort("browser test skipped: " + why);
  }

  /** A browser with a 1280 × 900 window. */
  public static Browser start() {
    return start(1280, 900);
  }

  /** A browser whose window is {@code width} × {@code height} CSS pixels. */
  public static Browser start(int width, int height) {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    DEVTOOLS_LOG.setLevel(Level.SEVERE);
    Path profile = createTempDirectory("chromium-profile-");
    Path downloads = createTempDirectory("chromium-downloads-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile);
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory", downloads.toString(),
            "download.prompt_for_download", false,
            "safebrowsing.enabled", false));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    try {
      return new Browser(profile, downloads, new ChromeDriver(service, options));
    } catch (WebDriverException e) {
      deleteRecursively(profile);
      deleteRecursively(downloads);
      throw e;
    }
  }

  /** Where browser tests leave their screenshots: {@code target/screenshots} of the project. */
  public static Path screenshots() {
    return Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")))
        .resolve("target/screenshots");
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /** Waits until an element matching {@code by} is displayed and returns it. */
  public WebElement find(By by) {
    return waitUntil(
        "an element " + by + " to be displayed",
        () ->
            driver.findElements(by).stream()
                .filter(WebElement::isDisplayed)
                .findFirst()
                .orElse(null));
  }

  /** Waits until {@code element}'s visible text contains {@code text}. */
  public void waitForText(By by, String text) {
    waitUntil(
        "'" + text + "' in " + by,
        () ->
            driver.findElements(by).stream().anyMatch(e -> e.getText().contains(text))
                ? true
                : null);
  }

  /**
   * Polls {@code probe} until it returns a value other than null or false, and returns that value;
   * fails after {@value #WAIT_SECONDS} seconds naming what it waited for.
   */
  public <T> T waitUntil(String what, Supplier<T> probe) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(WAIT_SECONDS));
    RuntimeException last = null;
    while (true) {
      try {
        T value = probe.get();
        if (value != null && !Boolean.FALSE.equals(value)) return value;
      } catch (WebDriverException e) {
        last = e;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("waited " + WAIT_SECONDS + " s for " + what, last);
      }
      pause();
    }
  }

  public Object script(String javascript, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(javascript, args);
  }

  /** Runs a Chrome DevTools Protocol command (e.g. {@code Emulation.setDeviceMetricsOverride}). */
  public Map<String, Object> cdp(String command, Map<String, Object> parameters) {
    return driver.executeCdpCommand(command, parameters);
  }

  /** The files downloaded so far, once the browser has finished writing them. */
  public List<Path> downloads() {
    try (Stream<Path> files = Files.list(downloads)) {
      return files
          .filter(f -> !f.getFileName().toString().endsWith(".crdownload"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for a download named {@code fileName} to complete and returns its path. */
  public Path awaitDownload(String fileName) {
    return waitUntil(
        "download of " + fileName,
        () ->
            downloads().stream()
                .filter(f -> f.getFileName().toString().equals(fileName))
                .findFirst()
                .orElse(null));
  }

  /** Saves a PNG of the viewport to {@code file}, creating its folder. */
  public Path screenshot(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.move(png, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Saves a PNG of the whole page: the window grows to the page's height for the shot. */
  public Path screenshotFullPage(Path file) {
    Dimension before = driver.manage().window().getSize();
    Number height = (Number) script("return document.documentElement.scrollHeight;");
    driver
        .manage()
        .window()
        .setSize(
            new Dimension(
                before.getWidth(), Math.max(before.getHeight(), height.intValue() + 100)));
    try {
      return screenshot(file);
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteRecursively(profile);
      deleteRecursively(downloads);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }

  private static Path createTempDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp folder is harmless; the test's outcome matters more.
    }
  }
}
