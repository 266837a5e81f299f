package com.huntaze.ratelimit.localrunner.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Lambda Runtime Interface Client and its dependencies (target/runtime/ next to local-runner.jar,
 * put there by the build), and its JNI library extracted once for all function processes.
 */
record LambdaRuntimeFiles(List<Path> classpath, Path jniLibrary) {
  /** Overrides where the runtime jars are (default: the runtime folder beside the runner's jar or classes). */
  static final String RUNTIME_DIR_PROPERTY = "localRunner.runtimeDir";
  static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  /** The RIC loads its native client from this path when set, instead of unpacking it to /tmp itself. */
  static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
  private static final String RIC_JAR_PREFIX = "aws-lambda-java-runtime-interface-client-";

  LambdaRuntimeFiles {
    classpath = List.copyOf(classpath);
  }

  static LambdaRuntimeFiles locate(Path workDir) {
    Path runtimeDir = runtimeDir();
    List<Path> jars;
    try (Stream<Path> files = Files.list(runtimeDir)) {
      jars = files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("No Lambda runtime jars in " + runtimeDir
          + ": build them with ./mvnw -pl tools/local-runner -am package", e);
    }
    Path ric = jars.stream().filter(jar -> jar.getFileName().toString().startsWith(RIC_JAR_PREFIX)).findFirst()
        .orElseThrow(() -> new IllegalStateException("No " + RIC_JAR_PREFIX + "*.jar in " + runtimeDir
            + ": build it with ./mvnw -pl tools/local-runner -am package"));
    return new LambdaRuntimeFiles(jars, extractJni(ric, workDir));
  }

  String classpathString() {
    return String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList());
  }

  private static Path runtimeDir() {
    String configured = System.getProperty(RUNTIME_DIR_PROPERTY);
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    try {
      // target/local-runner.jar or target/classes/ → target/runtime
      Path codeSource = Path.of(LambdaRuntimeFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return codeSource.getParent().resolve("runtime");
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The RIC would otherwise copy its library to the one path /tmp/.libaws-lambda-jni.so at every start,
   * and two functions starting at once can load each other's half-written copy.
   */
  private static Path extractJni(Path ricJar, Path workDir) {
    String name = "jni/libaws-lambda-jni." + platform() + ".so";
    try (ZipFile zip = new ZipFile(ricJar.toFile())) {
      ZipEntry entry = zip.getEntry(name);
      if (entry == null) {
        throw new IllegalStateException(ricJar + " has no " + name + " for this platform");
      }
      Path target = workDir.resolve("libaws-lambda-jni.so");
      try (InputStream in = zip.getInputStream(entry)) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract " + name + " from " + ricJar, e);
    }
  }

  /** The RIC ships linux-x86_64, linux-aarch_64 and their linux_musl-* variants. */
  private static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    if (!os.contains("linux")) {
      throw new IllegalStateException("The Lambda runtime interface client runs on Linux only, not on " + os);
    }
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
    return (isMusl() ? "linux_musl-" : "linux-") + cpu;
  }

  private static boolean isMusl() {
    try (Stream<Path> libs = Files.list(Path.of("/lib"))) {
      return libs.anyMatch(lib -> lib.getFileName().toString().startsWith("ld-musl-"));
    } catch (IOException e) {
      return false;
    }
  }
}
