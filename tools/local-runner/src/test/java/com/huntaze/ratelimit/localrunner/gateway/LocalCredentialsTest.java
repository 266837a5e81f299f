package com.huntaze.ratelimit.localrunner.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCredentialsTest {
  @TempDir
  Path dir;

  @Test
  void theEnvironmentsPairAndTheSharedFilesProfileAreBothAccepted() throws IOException {
    Path shared = credentialsFile("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n");

    List<LocalCredentials> accepted = LocalCredentials.resolve(Map.of("AWS_ACCESS_KEY_ID", "AKIDENV",
        "AWS_SECRET_ACCESS_KEY", "env-secret", "AWS_SESSION_TOKEN", "token",
        "AWS_SHARED_CREDENTIALS_FILE", shared.toString()), Optional.empty(), Optional.empty());

    assertEquals(List.of("AKIDENV", "AKIDFILE"), accepted.stream().map(LocalCredentials::accessKeyId).toList());
    assertEquals(Optional.of("token"), accepted.get(0).sessionToken());
  }

  @Test
  void aNamedFileAndProfileAreTheOnlyOnesAccepted() throws IOException {
    Path file = credentialsFile("""
        # the caller of the web app
        [default]
        aws_access_key_id=AKIDDEFAULT
        aws_secret_access_key=default-secret
        [profile web-app]
        aws_access_key_id = AKIDWEB
        aws_secret_access_key = web-secret
        aws_session_token = web-token
        """);

    List<LocalCredentials> accepted = LocalCredentials.resolve(Map.of("AWS_ACCESS_KEY_ID", "AKIDENV",
        "AWS_SECRET_ACCESS_KEY", "env-secret"), Optional.of(file), Optional.of("web-app"));

    assertEquals(1, accepted.size());
    assertEquals("AKIDWEB", accepted.get(0).accessKeyId());
    assertEquals("web-secret", accepted.get(0).secretAccessKey());
    assertEquals(Optional.of("web-token"), accepted.get(0).sessionToken());
  }

  @Test
  void aProfileWithoutKeysIsAClearError() throws IOException {
    Path file = credentialsFile("[default]\nregion = us-east-1\n");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalCredentials.resolve(Map.of(), Optional.of(file), Optional.empty()));
    assertTrue(e.getMessage().contains("profile [default] of " + file), e.getMessage());
  }

  @Test
  void withNoCredentialsAnywhereTheDocumentedLocalPairIsAccepted() {
    List<LocalCredentials> accepted = LocalCredentials.resolve(
        Map.of("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString()), Optional.empty(), Optional.empty());

    assertEquals(List.of(LocalCredentials.LOCAL_PAIR), accepted);
  }

  @Test
  void printingCredentialsNeverShowsTheSecret() {
    LocalCredentials credentials = new LocalCredentials("AKIDX", "very-secret", Optional.of("tok"), "test");
    assertFalse(credentials.toString().contains("very-secret"), credentials.toString());
    assertFalse(credentials.toString().contains("tok"), credentials.toString());
  }

  private Path credentialsFile(String text) throws IOException {
    Path file = dir.resolve("credentials");
    Files.writeString(file, text);
    return file;
  }
}
