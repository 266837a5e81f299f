package com.huntaze.ratelimit.localrunner.template;

/** The template (or a value given for it) cannot be used locally; the message says why and where. */
public final class TemplateException extends RuntimeException {
  public TemplateException(String message) {
    super(message);
  }
}
