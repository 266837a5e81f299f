package com.huntaze.ratelimit.localredis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Finds a redis-server executable: {@code REDIS_SERVER_BIN}, else {@code redis-server} on PATH, else
 * the binary packaged in the embedded-redis jar from Maven Central (so tests pass on a machine without
 * Redis installed).
 */
public final class RedisBinary {
  /** Set to {@code true} to skip PATH and use the packaged binary (used to test the fallback). */
  public static final String FORCE_PACKAGED_PROPERTY = "localredis.forcePackaged";

  private static volatile RedisBinary cached;

  private final Path path;
  private final boolean packaged;

  private RedisBinary(Path path, boolean packaged) {
    this.path = path;
    this.packaged = packaged;
  }

  public Path path() {
    return path;
  }

  /** True when this is the binary packaged in embedded-redis (Redis 6.2, built without TLS). */
  public boolean isPackaged() {
    return packaged;
  }

  /** TLS needs a redis-server built with it; the packaged fallback is not. */
  public boolean supportsTls() {
    return !packaged;
  }

  public static RedisBinary find() {
    RedisBinary found = cached;
    if (found == null) {
      synchronized (RedisBinary.class) {
        if (cached == null) {
          cached = locate(Boolean.getBoolean(FORCE_PACKAGED_PROPERTY));
        }
        found = cached;
      }
    }
    return found;
  }

  /** The packaged binary, whatever is on PATH. */
  public static RedisBinary packaged() {
    return locate(true);
  }

  private static RedisBinary locate(boolean forcePackaged) {
    if (!forcePackaged) {
      String explicit = System.getenv("REDIS_SERVER_BIN");
      if (explicit != null && !explicit.isBlank()) {
        return new RedisBinary(Path.of(explicit), false);
      }
      String pathVar = System.getenv().getOrDefault("PATH", "");
      for (String dir : pathVar.split(File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
        if (Files.isExecutable(candidate)) {
          return new RedisBinary(candidate, false);
        }
      }
    }
    return new RedisBinary(extractPackaged(), true);
  }

  private static Path extractPackaged() {
    String resource = packagedResourceName();
    try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("No redis-server on PATH and no packaged binary " + resource
            + " for this platform; install Redis (e.g. apt-get install redis-server)");
      }
      Path dir = Files.createTempDirectory("local-redis-bin");
      Path target = dir.resolve("redis-server");
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      if (!target.toFile().setExecutable(true)) {
        throw new IllegalStateException("Cannot make " + target + " executable");
      }
      target.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return target;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot extract the packaged redis-server", e);
    }
  }

  private static String packagedResourceName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean arm = arch.contains("aarch64") || arch.contains("arm64");
    if (os.contains("linux")) {
      return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
    }
    if (os.contains("mac")) {
      return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
    }
    return "redis-server-unsupported-" + os + "-" + arch;
  }

  @Override
  public String toString() {
    return path + (packaged ? " (packaged fallback)" : "");
  }
}
