import type { ModelUsage } from "./model-call.js";

/** OpenAI's `usage` (chat completions): prompt_tokens include the cached ones. */
export function usageFromOpenAI(usage: {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
}): ModelUsage {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  return { inputTokens: usage.prompt_tokens - cached, cachedInputTokens: cached, outputTokens: usage.completion_tokens };
}

/** Anthropic's `usage`: input_tokens exclude cache reads; cache writes count as (uncached) input. */
export function usageFromAnthropic(usage: {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}): ModelUsage {
  return {
    inputTokens: usage.input_tokens + (usage.cache_creation_input_tokens ?? 0),
    cachedInputTokens: usage.cache_read_input_tokens ?? 0,
    outputTokens: usage.output_tokens,
  };
}

/** The Vercel AI SDK's `LanguageModelUsage` (v5): inputTokens include cachedInputTokens. */
export function usageFromAiSdk(usage: {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  cachedInputTokens?: number | undefined;
}): ModelUsage {
  const cached = usage.cachedInputTokens ?? 0;
  return { inputTokens: (usage.inputTokens ?? 0) - cached, cachedInputTokens: cached, outputTokens: usage.outputTokens ?? 0 };
}
