package com.huntaze.ratelimit.localrunner.testfunction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Test function whose init fails: the runtime reports it on /runtime/init/error and exits. */
public class BrokenInitHandler implements RequestHandler<Map<String, Object>, String> {
  static {
    if (Boolean.parseBoolean("true")) {
      throw new IllegalStateException("cannot initialise on purpose");
    }
  }

  @Override
  public String handleRequest(Map<String, Object> input, Context context) {
    return "never";
  }
}
