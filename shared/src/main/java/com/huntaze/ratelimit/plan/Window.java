package com.huntaze.ratelimit.plan;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time span of a limit: a rolling duration ("30s", "1m", "1h", "1d") for sliding windows and token
 * buckets, or a UTC calendar unit ("minute", "hour", "day", "month") for fixed windows.
 */
public final class Window {
  /** UTC calendar units a fixed window can align to. */
  public enum CalendarUnit { MINUTE, HOUR, DAY, MONTH }

  static final Duration MAX_ROLLING = Duration.ofDays(31);
  private static final Pattern ROLLING = Pattern.compile("([1-9][0-9]{0,6})(s|m|h|d)");

  private final String text;
  private final Duration rolling;
  private final CalendarUnit calendar;

  private Window(String text, Duration rolling, CalendarUnit calendar) {
    this.text = text;
    this.rolling = rolling;
    this.calendar = calendar;
  }

  /** Parses "90s", "1m", "12h", "7d" (at most 31 days); empty when the text is not of that form. */
  public static Optional<Window> parseRolling(String text) {
    Matcher m = ROLLING.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long amount = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
    if (d.compareTo(MAX_ROLLING) > 0) {
      return Optional.empty();
    }
    return Optional.of(new Window(text, d, null));
  }

  /** Parses "minute", "hour", "day", "month"; empty otherwise. */
  public static Optional<Window> parseCalendar(String text) {
    for (CalendarUnit unit : CalendarUnit.values()) {
      if (unit.name().toLowerCase(Locale.ROOT).equals(text)) {
        return Optional.of(new Window(text, null, unit));
      }
    }
    return Optional.empty();
  }

  public boolean isCalendar() {
    return calendar != null;
  }

  /** The rolling duration; only for rolling windows. */
  public Duration duration() {
    if (rolling == null) {
      throw new IllegalStateException("calendar window " + text + " has no fixed duration");
    }
    return rolling;
  }

  /** The calendar unit; only for calendar windows. */
  public CalendarUnit calendarUnit() {
    if (calendar == null) {
      throw new IllegalStateException("rolling window " + text + " has no calendar unit");
    }
    return calendar;
  }

  /** The window as written in the plan document, e.g. "1m" or "month". */
  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Window w && Objects.equals(w.rolling, rolling) && w.calendar == calendar;
  }

  @Override
  public int hashCode() {
    return Objects.hash(rolling, calendar);
  }

  @Override
  public String toString() {
    return text;
  }
}
