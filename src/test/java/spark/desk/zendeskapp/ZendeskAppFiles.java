package spark.desk.zendeskapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Zendesk app as Zendesk sees it: paths relative to the app's root ({@code manifest.json},
 * {@code assets/...}, {@code translations/...}) and their bytes. Read either from the source tree,
 * laid out the way {@code src/assembly/zendesk-app.xml} lays it out, or from the built zip.
 */
record ZendeskAppFiles(Map<String, byte[]> files) {

  static Path basedir() {
    return Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")));
  }

  /** The generated ES module that carries translations/en.json to the assets. */
  static Path generatedI18n() {
    return basedir().resolve("target/zendesk-app/assets/i18n.js");
  }

  static ZendeskAppFiles fromSourceTree() {
    Path base = basedir();
    Map<String, byte[]> files = new TreeMap<>();
    files.put("manifest.json", read(base.resolve("manifest.json")));
    addTree(files, base.resolve("zendesk-app/assets"), "assets/");
    addTree(files, base.resolve("zendesk-app/translations"), "translations/");
    if (Files.exists(generatedI18n())) {
      files.put("assets/i18n.js", read(generatedI18n()));
    }
    return new ZendeskAppFiles(files);
  }

  static ZendeskAppFiles fromZip(Path zip) {
    Map<String, byte[]> files = new TreeMap<>();
    try (ZipFile zipFile = new ZipFile(zip.toFile())) {
      for (ZipEntry entry : java.util.Collections.list(zipFile.entries())) {
        if (!entry.isDirectory()) {
          files.put(entry.getName(), zipFile.getInputStream(entry).readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ZendeskAppFiles(files);
  }

  Set<String> paths() {
    return files.keySet();
  }

  boolean has(String path) {
    return files.containsKey(path);
  }

  byte[] bytes(String path) {
    byte[] bytes = files.get(path);
    if (bytes == null) {
      throw new AssertionError("the app has no " + path + "; it has " + paths());
    }
    return bytes;
  }

  String text(String path) {
    return new String(bytes(path), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void addTree(Map<String, byte[]> files, Path dir, String prefix) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .filter(Files::isRegularFile)
          .forEach(
              p -> files.put(prefix + dir.relativize(p).toString().replace('\\', '/'), read(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
