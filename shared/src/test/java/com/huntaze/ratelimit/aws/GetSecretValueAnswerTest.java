package com.huntaze.ratelimit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The AWS JSON 1.1 answer, read as the SDK reads it: the error code from the header or "__type". */
class GetSecretValueAnswerTest {
  private static String reason(int status, String header, String body) {
    return assertThrows(UnreadableSecretException.class,
        () -> new GetSecretValueAnswer(status, header, body).secretString("us-east-1")).getMessage();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ResourceNotFoundException                                    | ResourceNotFoundException",
      "com.amazonaws.secretsmanager#ResourceNotFoundException       | ResourceNotFoundException",
      "ResourceNotFoundException:http://internal.amazon.com/coral/x | ResourceNotFoundException",
      "aws.protocoltests#DecryptionFailure:http://internal#x        | DecryptionFailure"})
  void theCodeLosesItsNamespaceAndItsDetails(String raw, String code) {
    assertEquals(Optional.of(code), new GetSecretValueAnswer(400, raw, "{}").errorCode());
    assertEquals(Optional.of(code), new GetSecretValueAnswer(400, null, "{\"__type\": \"" + raw + "\"}").errorCode());
  }

  @Test
  void theHeaderComesBeforeTheBody() {
    GetSecretValueAnswer answer = new GetSecretValueAnswer(400, "AccessDeniedException",
        "{\"__type\": \"ResourceNotFoundException\"}");

    assertEquals(Optional.of("AccessDeniedException"), answer.errorCode());
  }

  @Test
  void aForbiddenAnswerWithoutACodeIsAccessDenied() {
    assertEquals("access denied; the function's role needs secretsmanager:GetSecretValue on this secret"
        + " (and kms:Decrypt for a customer managed key): The security token included in the request is invalid.",
        reason(403, null, "{\"message\": \"The security token included in the request is invalid.\"}"));
  }

  @Test
  void anAnswerThatIsNoAwsErrorGivesItsStatusAndNothingOfItsBody() {
    String reason = reason(502, null, "<html><body>Bad gateway from proxy 10.0.0.1</body></html>");

    assertEquals("HTTP 502 without an AWS error code", reason);
  }

  @Test
  void awsMessageIsKeptOnOneLineAndCut() {
    String reason = reason(400, null, "{\"__type\": \"InvalidRequestException\", \"message\": \"line one\\nline"
        + " two " + "x".repeat(1000) + "\"}");

    assertTrue(reason.startsWith("InvalidRequestException: line one line two xxx"), reason);
    assertFalse(reason.contains("\n"), reason);
    assertTrue(reason.length() < 600, reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "[\"SecretString\"]", "{\"SecretString\": \"a\", \"SecretString\": \"b\"}"})
  void anOkAnswerThatIsNoJsonObjectIsRefusedWithoutQuotingIt(String body) {
    String reason = reason(200, null, body);

    assertEquals("the answer from Secrets Manager is not a JSON object", reason);
  }

  @Test
  void anOkAnswerWithoutSecretStringOrSecretBinarySaysSo() {
    assertEquals("the answer from Secrets Manager holds no SecretString", reason(200, null, "{\"Name\": \"x\"}"));
  }

  @Test
  void onlyServerErrorsAndThrottlingAreRetryable() {
    assertTrue(new GetSecretValueAnswer(500, null, "").retryable());
    assertTrue(new GetSecretValueAnswer(503, null, "").retryable());
    assertTrue(new GetSecretValueAnswer(429, null, "").retryable());
    assertTrue(new GetSecretValueAnswer(400, null, "{\"__type\": \"ThrottlingException\"}").retryable());
    assertFalse(new GetSecretValueAnswer(400, null, "{\"__type\": \"InvalidParameterException\"}").retryable());
    assertFalse(new GetSecretValueAnswer(403, null, "").retryable());
    assertFalse(new GetSecretValueAnswer(200, null, "{\"SecretString\": \"x\"}").retryable());
  }
}
