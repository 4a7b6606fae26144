package spark.desk.sop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SOP depends on nothing of ours but the working-day calendar: no adapter, configuration, store
 * or web type reaches it, so it runs the same in the server, in tests and in simulate.
 */
class SopImportsTest {
  static final Path SOP = Path.of("src/main/java/spark/desk/sop");
  static final Pattern OURS = Pattern.compile("^import\\s+(?:static\\s+)?(spark\\.desk\\.[\\w.]+)");
  static final List<String> ALLOWED = List.of("spark.desk.sop.", "spark.desk.calendar.");

  @Test
  void sopImportsNoPackageOfOursButCalendar() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.list(SOP)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
    assertFalse(sources.isEmpty(), "no sources found under " + SOP.toAbsolutePath());
    List<String> offending = new ArrayList<>();
    for (Path f : sources) {
      for (String line : Files.readAllLines(f)) {
        Matcher m = OURS.matcher(line.strip());
        if (m.find() && ALLOWED.stream().noneMatch(m.group(1)::startsWith))
          offending.add(f.getFileName() + ": " + line.strip());
        // A fully qualified name in the code is an import too.
        if (!line.strip().startsWith("import")
            && !line.strip().startsWith("package")
            && !line.strip().startsWith("*")
            && !line.strip().startsWith("//")
            && line.matches(".*\\bspark\\.desk\\.(?!sop\\b|calendar\\b)\\w+.*"))
          offending.add(f.getFileName() + ": " + line.strip());
      }
    }
    assertEquals(List.of(), offending, "sop/ must import only spark.desk.sop and calendar");
  }
}
