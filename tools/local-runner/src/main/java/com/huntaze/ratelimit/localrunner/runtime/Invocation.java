package com.huntaze.ratelimit.localrunner.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * One event on its way through the Runtime API. {@code deadline} completes (with the deadline in epoch
 * milliseconds) when the runtime takes the event; {@code result} when it answers or the environment fails.
 */
final class Invocation {
  private final String requestId;
  private final byte[] event;
  private final CompletableFuture<Long> deadline = new CompletableFuture<>();
  private final CompletableFuture<InvocationResult> result = new CompletableFuture<>();

  Invocation(String requestId, byte[] event) {
    this.requestId = requestId;
    this.event = event.clone();
  }

  String requestId() {
    return requestId;
  }

  byte[] event() {
    return event.clone();
  }

  CompletableFuture<Long> deadline() {
    return deadline;
  }

  CompletableFuture<InvocationResult> result() {
    return result;
  }
}
