package com.huntaze.ratelimit.localrunner.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The credentials whose signatures the local API accepts, as IAM would: an access key id, its secret and,
 * for temporary credentials, the session token the request must carry. {@code source} says where they came
 * from (never the secret).
 */
public record LocalCredentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken,
    String source) {

  /** The pair accepted when no other is found: documented in the README, so it is no secret. */
  public static final LocalCredentials LOCAL_PAIR =
      new LocalCredentials("local-dev", "local-dev-secret", Optional.empty(), "the local pair (see README)");

  @Override
  public String toString() {
    return accessKeyId + " from " + source; // a record would print the secret
  }

  /**
   * {@code credentialsFile} given: its profile alone. Otherwise AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
   * (/ AWS_SESSION_TOKEN) of the environment and the profile of the shared credentials file, the ones the
   * AWS SDKs' default chain finds first; the local pair when there is neither.
   */
  public static List<LocalCredentials> resolve(Map<String, String> environment, Optional<Path> credentialsFile,
      Optional<String> profile) {
    String profileName = profile.orElse(environment.getOrDefault("AWS_PROFILE", "default"));
    if (credentialsFile.isPresent()) {
      return List.of(fromFile(credentialsFile.get(), profileName).orElseThrow(() -> new IllegalArgumentException(
          "No aws_access_key_id and aws_secret_access_key in profile [" + profileName + "] of " + credentialsFile.get())));
    }
    List<LocalCredentials> found = new ArrayList<>();
    String id = environment.get("AWS_ACCESS_KEY_ID");
    String secret = environment.get("AWS_SECRET_ACCESS_KEY");
    if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
      found.add(new LocalCredentials(id, secret, Optional.ofNullable(environment.get("AWS_SESSION_TOKEN"))
          .filter(token -> !token.isBlank()), "AWS_ACCESS_KEY_ID in the environment"));
    }
    Path shared = Path.of(environment.getOrDefault("AWS_SHARED_CREDENTIALS_FILE",
        System.getProperty("user.home") + "/.aws/credentials"));
    if (Files.isRegularFile(shared)) {
      fromFile(shared, profileName).ifPresent(found::add);
    }
    return found.isEmpty() ? List.of(LOCAL_PAIR) : List.copyOf(found);
  }

  /** An INI credentials file: {@code [profile]} sections of {@code key = value} lines. */
  static Optional<LocalCredentials> fromFile(Path file, String profileName) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the credentials file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> section = null;
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        String name = line.substring(1, line.length() - 1).strip().replaceFirst("^profile\\s+", "");
        section = sections.computeIfAbsent(name, n -> new LinkedHashMap<>());
      } else if (section != null && line.contains("=")) {
        int equals = line.indexOf('=');
        section.put(line.substring(0, equals).strip().toLowerCase(), line.substring(equals + 1).strip());
      }
    }
    Map<String, String> chosen = sections.getOrDefault(profileName, Map.of());
    String id = chosen.get("aws_access_key_id");
    String secret = chosen.get("aws_secret_access_key");
    if (id == null || id.isEmpty() || secret == null || secret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LocalCredentials(id, secret, Optional.ofNullable(chosen.get("aws_session_token"))
        .filter(token -> !token.isEmpty()), "profile [" + profileName + "] of " + file));
  }
}
