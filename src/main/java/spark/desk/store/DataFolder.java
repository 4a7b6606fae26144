package spark.desk.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The folder of the embedded database (issue 14, part 5). The files hold the API tokens and
 * customers' e-mail addresses, so a folder the service creates is readable by its owner only
 * ({@code rwx------}) where the file system has POSIX permissions. An existing folder is left as
 * the operator made it.
 */
final class DataFolder {
  private DataFolder() {}

  static void create(Path dir) throws IOException {
    if (Files.isDirectory(dir)) return;
    if (dir.getParent() != null) Files.createDirectories(dir.getParent());
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      // Another process made it first.
      if (!Files.isDirectory(dir)) throw e;
    }
  }
}
