package com.huntaze.ratelimit.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WindowTest {

  @ParameterizedTest(name = "\"{0}\" is a rolling window of {1} seconds")
  @CsvSource({
      "1s, 1",
      "30s, 30",
      "90s, 90",
      "1m, 60",
      "60m, 3600",
      "12h, 43200",
      "1d, 86400",
      "7d, 604800",
      "31d, 2678400",
      "744h, 2678400",
      "44640m, 2678400",
      "2678400s, 2678400",
  })
  void parsesRollingDurations(String text, long seconds) {
    Optional<Window> window = Window.parseRolling(text);

    assertTrue(window.isPresent(), () -> "'" + text + "' should be a rolling window");
    assertFalse(window.get().isCalendar());
    assertEquals(Duration.ofSeconds(seconds), window.get().duration());
    assertEquals(text, window.get().text());
    assertEquals(text, window.get().toString());
  }

  @ParameterizedTest(name = "\"{0}\" is not a rolling window")
  @ValueSource(strings = {
      "", "s", "1", "0s", "0m", "01m", "-1m", "+1m", "1.5m", "1 m", " 1m", "1m ", "1M", "1H", "1w", "1y", "1ms",
      "1m30s", "month", "day", "minute",
      // longer than 31 days
      "32d", "745h", "44641m", "2678401s",
      // more than seven digits
      "10000000s",
  })
  void rejectsRollingDurationsThatAreMalformedOrLongerThan31Days(String text) {
    assertEquals(Optional.empty(), Window.parseRolling(text));
  }

  @ParameterizedTest(name = "\"{0}\" is the calendar unit {1}")
  @CsvSource({"minute, MINUTE", "hour, HOUR", "day, DAY", "month, MONTH"})
  void parsesCalendarUnits(String text, Window.CalendarUnit unit) {
    Optional<Window> window = Window.parseCalendar(text);

    assertTrue(window.isPresent(), () -> "'" + text + "' should be a calendar window");
    assertTrue(window.get().isCalendar());
    assertEquals(unit, window.get().calendarUnit());
    assertEquals(text, window.get().text());
  }

  @ParameterizedTest(name = "\"{0}\" is not a calendar unit")
  @ValueSource(strings = {
      "", "Month", "MONTH", "Day", "week", "year", "second", "minutes", "months", " day", "day ", "1m", "1d", "30d",
  })
  void rejectsCalendarUnitsOtherThanMinuteHourDayMonth(String text) {
    assertEquals(Optional.empty(), Window.parseCalendar(text));
  }

  @Test
  void calendarWindowHasNoDuration() {
    Window month = Window.parseCalendar("month").orElseThrow();

    IllegalStateException e = assertThrows(IllegalStateException.class, month::duration);
    assertTrue(e.getMessage().contains("month"), e.getMessage());
  }

  @Test
  void rollingWindowHasNoCalendarUnit() {
    Window minute = Window.parseRolling("1m").orElseThrow();

    IllegalStateException e = assertThrows(IllegalStateException.class, minute::calendarUnit);
    assertTrue(e.getMessage().contains("1m"), e.getMessage());
  }

  @Test
  void rollingWindowsOfTheSameDurationAreEqualWhateverTheirSpelling() {
    Window seconds = Window.parseRolling("60s").orElseThrow();
    Window minute = Window.parseRolling("1m").orElseThrow();

    assertEquals(seconds, minute);
    assertEquals(seconds.hashCode(), minute.hashCode());
    assertEquals("60s", seconds.text(), "the text stays as written");
    assertNotEquals(minute, Window.parseRolling("2m").orElseThrow());
  }

  @Test
  void calendarDayDiffersFromRollingDay() {
    Window calendarDay = Window.parseCalendar("day").orElseThrow();
    Window rollingDay = Window.parseRolling("1d").orElseThrow();

    assertNotEquals(calendarDay, rollingDay);
    assertNotEquals(rollingDay, calendarDay);
    assertEquals(calendarDay, Window.parseCalendar("day").orElseThrow());
    assertNotEquals(calendarDay, Window.parseCalendar("month").orElseThrow());
  }
}
