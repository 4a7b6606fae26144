package spark.desk.zendeskapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The uploadable {@code target/zendesk-app.zip} (built in {@code package}, checked in {@code
 * verify}): the same rules as the source tree, and exactly the files Zendesk should get.
 */
class ZendeskAppZipIT extends ZendeskAppRules {

  private static final Path ZIP = ZendeskAppFiles.basedir().resolve("target/zendesk-app.zip");
  private static ZendeskAppFiles zip;

  @BeforeAll
  static void readZip() {
    assertTrue(Files.isRegularFile(ZIP), ZIP + " is built by mvn package");
    zip = ZendeskAppFiles.fromZip(ZIP);
  }

  @Override
  ZendeskAppFiles app() {
    return zip;
  }

  @Test
  void zipHoldsTheManifestAssetsAndTranslationsAtItsRoot() {
    Set<String> roots = new TreeSet<>();
    zip.paths().forEach(p -> roots.add(p.contains("/") ? p.substring(0, p.indexOf('/') + 1) : p));
    assertEquals(Set.of("manifest.json", "assets/", "translations/"), roots);
  }

  @Test
  void zipHoldsEverySourceFileUnchanged() {
    ZendeskAppFiles source = ZendeskAppFiles.fromSourceTree();
    assertEquals(source.paths(), zip.paths());
    for (String path : source.paths()) {
      assertTrue(java.util.Arrays.equals(source.bytes(path), zip.bytes(path)), path);
    }
  }
}
