package io.fhirstream.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.util.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Marker;

/**
 * Lets through one warning per window from the given loggers and drops the rest: a client that
 * retries a connection every second (Kafka's {@code NetworkClient} while a broker is away) then
 * says so once per window instead of once per attempt. Errors always pass.
 */
public final class RepeatedWarningFilter extends TurboFilter {
  private final List<String> loggers = new ArrayList<>();
  private long windowMillis = 30_000;
  private final Map<String, Long> lastPassed = new ConcurrentHashMap<>();

  /** A logger whose warnings are limited (and its children's); repeatable in the XML. */
  public void addLogger(String name) {
    loggers.add(name);
  }

  /** The window, e.g. {@code 30 seconds}. */
  public void setWindow(Duration window) {
    this.windowMillis = window.getMilliseconds();
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.WARN || logger == null || !limited(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    long now = System.currentTimeMillis();
    String key = logger.getName();
    Long last = lastPassed.get(key);
    if (last != null && now - last < windowMillis) {
      return FilterReply.DENY;
    }
    lastPassed.put(key, now);
    return FilterReply.NEUTRAL;
  }

  private boolean limited(String name) {
    for (String prefix : loggers) {
      if (name.equals(prefix) || name.startsWith(prefix + ".")) {
        return true;
      }
    }
    return false;
  }
}
