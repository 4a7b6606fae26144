package spark.desk.provision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The sidebar app's package for one installation: the build's {@code zendesk-app/package.zip}
 * (manifest.json, assets/, translations/, as {@code target/zendesk-app.zip}) with {@code
 * domainWhitelist} set to the host of {@code PUBLIC_URL}, so Zendesk's proxy inserts the secure
 * {@code backend_token} only into requests to that host (ZAF "Using secure settings",
 * developer.zendesk.com/documentation/apps/app-developer-guide/using-the-apps-framework/#using-secure-settings).
 * The zip is built the same way every time (sorted entries, fixed times), so an unchanged app has
 * an unchanged {@link #sha256()} and is not uploaded again.
 */
record AppPackage(byte[] zip, String sha256) {
  static final String RESOURCE = "/zendesk-app/package.zip";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long FIXED_TIME = 1_700_000_000_000L;

  static AppPackage forHost(String host) {
    Map<String, byte[]> files = new TreeMap<>();
    try (InputStream in = AppPackage.class.getResourceAsStream(RESOURCE)) {
      if (in == null)
        throw new IllegalStateException(
            "the app package " + RESOURCE + " is not in the jar (build it with mvn package)");
      try (ZipInputStream zip = new ZipInputStream(in)) {
        for (ZipEntry e; (e = zip.getNextEntry()) != null; )
          if (!e.isDirectory()) files.put(e.getName(), zip.readAllBytes());
      }
      ObjectNode manifest = (ObjectNode) JSON.readTree(files.get("manifest.json"));
      manifest.putArray("domainWhitelist").add(host);
      files.put("manifest.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream out = new ZipOutputStream(bytes)) {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
          ZipEntry entry = new ZipEntry(f.getKey());
          entry.setTime(FIXED_TIME);
          out.putNextEntry(entry);
          out.write(f.getValue());
          out.closeEntry();
        }
      }
      byte[] zip = bytes.toByteArray();
      return new AppPackage(zip, HexFormat.of().formatHex(sha256(zip)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the app package", e);
    }
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
