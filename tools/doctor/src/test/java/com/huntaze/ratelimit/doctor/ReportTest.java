package com.huntaze.ratelimit.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void aFailMakesTheExitCodeNonZeroAndOkFalse() throws Exception {
    Report report = new Report();
    report.add(Finding.pass("a", "fine"));
    report.add(Finding.warn("b", "hmm", "do this"));
    assertEquals(0, report.exitCode());
    report.add(Finding.fail("c", "broken", "aws ec2 x; aws ec2 y"));

    assertEquals(1, report.exitCode());
    JsonNode json = new ObjectMapper().readTree(report.json());
    assertEquals(false, json.get("ok").asBoolean());
    assertEquals(1, json.get("summary").get("fail").asInt());
    assertEquals("fail", json.get("findings").get(2).get("status").asText());
    assertEquals("aws ec2 x; aws ec2 y", json.get("findings").get(2).get("fix").asText());
    String table = report.table();
    assertTrue(table.contains("fix: aws ec2 x\n") && table.contains("     aws ec2 y\n"), table);
    assertTrue(table.endsWith("1 pass, 1 warn, 1 fail, 0 unknown, 0 skipped\n"), table);
  }

  @Test
  void aUsageErrorExitsWithTwo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Doctor.run(new String[] {"--bogus"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8),
        spec -> { throw new AssertionError("no AWS call on a usage error"); });

    assertEquals(2, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --bogus"));
  }
}
