package com.huntaze.ratelimit;

/**
 * What a model call is expected to spend, reserved by a check before the call: its input, and between
 * {@code minOutputTokens} and {@code maxOutputTokens} of output. The check reserves the most output that
 * fits every token and money limit, at least the minimum, and answers it as
 * {@link Decision#maxOutputTokens()}: the caller sets the model's max_tokens to it and never overshoots.
 * Validated by the limiter (not here) so that a bad estimate becomes an {@link InvalidRequestException}.
 *
 * @param model           the model's name in the plan document's price table; required on a plan with a
 *                        money ({@code usd}) limit
 * @param inputTokens     the prompt's tokens
 * @param maxOutputTokens the most output the call may produce
 * @param minOutputTokens the least output worth making the call for (equal to the maximum when the
 *                        full maximum must fit)
 * @param requests        requests the call counts for (1 for one call)
 */
public record UsageEstimate(String model, long inputTokens, long maxOutputTokens, long minOutputTokens,
    long requests) {

  /** One call of {@code model} with this input and at most {@code maxOutputTokens}, all of which must fit. */
  public static UsageEstimate of(String model, long inputTokens, long maxOutputTokens) {
    return new UsageEstimate(model, inputTokens, maxOutputTokens, maxOutputTokens, 1);
  }

  /** The same call, admitted with less output (down to {@code minOutputTokens}) when the maximum does not fit. */
  public UsageEstimate withMinOutputTokens(long minOutputTokens) {
    return new UsageEstimate(model, inputTokens, maxOutputTokens, minOutputTokens, requests);
  }
}
