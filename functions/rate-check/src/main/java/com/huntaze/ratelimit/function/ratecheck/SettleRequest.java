package com.huntaze.ratelimit.function.ratecheck;

import com.huntaze.ratelimit.RequestCost;
import com.huntaze.ratelimit.Usage;
import com.huntaze.ratelimit.function.HttpRequest;
import java.util.List;

/**
 * The body of {@code POST /v1/settle}: {@code {"creatorId", "tier", "requestId", "model"?, "inputTokens",
 * "cachedInputTokens"?, "outputTokens"}}, the usage the model reported for the call its check reserved.
 */
record SettleRequest(String creatorId, String plan, String requestId, Usage usage) {
  static final String EXAMPLE = "{\"creatorId\": \"creator-123\", \"tier\": \"pro\", \"requestId\": \"req-7f3a\","
      + " \"model\": \"gpt-4o\", \"inputTokens\": 1200, \"cachedInputTokens\": 0, \"outputTokens\": 300}";
  private static final List<String> FIELDS = List.of("creatorId", "tier", "requestId", "model", "inputTokens",
      "cachedInputTokens", "outputTokens");

  static SettleRequest parse(HttpRequest request) {
    BodyFields body = BodyFields.read(request, EXAMPLE, "a settle", FIELDS);
    String creatorId = body.requiredString("creatorId");
    String plan = body.requiredString("tier");
    String requestId = body.requiredString("requestId");
    Usage usage = new Usage(body.optionalString("model"),
        body.requiredWholeNumber("inputTokens", RequestCost.MAX_TOKENS),
        body.optionalWholeNumber("cachedInputTokens", 0, RequestCost.MAX_TOKENS),
        body.requiredWholeNumber("outputTokens", RequestCost.MAX_TOKENS));
    return new SettleRequest(creatorId, plan, requestId, usage);
  }
}
