package com.huntaze.ratelimit.localrunner.runtime;

import com.huntaze.ratelimit.localrunner.template.TemplateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The function's /var/task. Lambda unzips the deployment package there and the runtime interface client
 * loads the handler from that directory (the JVM's working directory: classes at its root, jars in
 * lib/), not from the classpath; so a jar CodeUri is unzipped the same way.
 */
final class TaskRoot {
  private TaskRoot() {
  }

  /** {@code codeUri} itself when it is a directory, else its contents unzipped into {@code target}. */
  static Path prepare(String functionId, Path codeUri, Path target) {
    if (Files.isDirectory(codeUri)) {
      return codeUri;
    }
    if (!Files.isRegularFile(codeUri)) {
      throw new TemplateException(functionId + ": CodeUri " + codeUri + " does not exist; build the function "
          + "first (./mvnw -DskipTests package), or use tools/local which does");
    }
    try (ZipFile zip = new ZipFile(codeUri.toFile())) {
      Files.createDirectories(target);
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        Path destination = target.resolve(entry.getName()).normalize();
        if (!destination.startsWith(target)) {
          throw new TemplateException(codeUri + ": entry " + entry.getName() + " points outside the package");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(destination);
          continue;
        }
        Files.createDirectories(destination.getParent());
        try (InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, destination);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot unzip " + codeUri, e);
    }
  }
}
