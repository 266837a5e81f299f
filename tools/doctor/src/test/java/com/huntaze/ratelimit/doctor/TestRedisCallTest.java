package com.huntaze.ratelimit.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** How the connection test's answers become a finding (the call itself is in DoctorIT, through the local API). */
class TestRedisCallTest {
  private static final URI URL = URI.create("https://abc.execute-api.us-east-1.amazonaws.com/test-redis");

  @Test
  void aFailedConnectionTestIsAFailWhoseFixIsTheFunctionsOwnHint() {
    Finding f = TestRedisCall.finding(URL, 503, """
        {"success": false, "failedStep": "connect", "error": {"kind": "TLS_ON_PLAIN_TEXT_PORT",
         "message": "REDIS_TLS is true, but host:6379 answers in plain text", "hint": "Check RedisTls: deploy with RedisTls=false"}}""");
    assertEquals(Status.FAIL, f.status());
    assertTrue(f.message().contains("failed at connect (TLS_ON_PLAIN_TEXT_PORT"), f.message());
    assertEquals("Check RedisTls: deploy with RedisTls=false", f.fix());
  }

  @Test
  void aRefusedSignatureIsAFailThatNamesThePermission() {
    Finding f = TestRedisCall.finding(URL, 403, "{\"message\":\"Forbidden\"}");
    assertEquals(Status.FAIL, f.status());
    assertTrue(f.fix().contains("execute-api:Invoke"), f.fix());
    assertTrue(f.fix().contains("OperatorInvokePolicyArn"), "the policy that grants it: " + f.fix());
  }

  @Test
  void anAnswerThatIsNotTheConnectionTestsIsAFailShowingItsStart() {
    Finding f = TestRedisCall.finding(URL, 502, "<html>Bad gateway</html>");
    assertEquals(Status.FAIL, f.status());
    assertTrue(f.message().contains("answered 502: <html>Bad gateway</html>"), f.message());
  }
}
