package com.huntaze.ratelimit.localrunner;

/** The template (or a value given for it) cannot be used locally; the message says why and where. */
final class TemplateException extends RuntimeException {
  TemplateException(String message) {
    super(message);
  }
}
