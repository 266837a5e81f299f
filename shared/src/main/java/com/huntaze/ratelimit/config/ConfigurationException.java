package com.huntaze.ratelimit.config;

/** A setting is missing or invalid; the message names the environment variable and what it accepts. */
public final class ConfigurationException extends RuntimeException {
  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
