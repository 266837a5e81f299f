package com.huntaze.ratelimit.localrunner.runtime;

import java.security.SecureRandom;
import java.util.HexFormat;

/** X-Ray trace headers like the ones Lambda and API Gateway hand out. */
public final class TraceHeader {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TraceHeader() {
  }

  /** Root=1-{epoch seconds hex}-{24 hex};Parent={16 hex};Sampled=0, fresh each time. */
  public static String random() {
    byte[] random = new byte[20];
    RANDOM.nextBytes(random);
    String hex = HexFormat.of().formatHex(random);
    return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + hex.substring(0, 24)
        + ";Parent=" + hex.substring(24, 40) + ";Sampled=0";
  }
}
