package com.huntaze.ratelimit;

/**
 * What a model call really spent, as its final usage record reports it, settled after the call.
 * Token limits count every token ({@link #totalTokens()}); money limits price each kind at its own rate.
 *
 * @param model             the model that answered (priced from the plan document's table)
 * @param inputTokens       uncached input tokens (OpenAI: prompt_tokens minus cached_tokens;
 *                          Anthropic: input_tokens)
 * @param cachedInputTokens input tokens read from the provider's prompt cache
 * @param outputTokens      output tokens, reasoning included
 */
public record Usage(String model, long inputTokens, long cachedInputTokens, long outputTokens) {

  /** A call without cached input. */
  public static Usage of(String model, long inputTokens, long outputTokens) {
    return new Usage(model, inputTokens, 0, outputTokens);
  }

  public long totalTokens() {
    return inputTokens + cachedInputTokens + outputTokens;
  }
}
