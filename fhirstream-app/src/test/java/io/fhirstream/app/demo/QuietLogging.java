package io.fhirstream.app.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Raises log levels for the demo tests. The app module has no logback configuration yet, and
 * logback's default (DEBUG to the console) makes Jetty and HAPI print thousands of lines per server
 * start, which slows the tests and buries their output.
 */
public final class QuietLogging {
  private QuietLogging() {}

  public static void apply() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
      context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
      context.getLogger("ca.uhn.fhir").setLevel(Level.WARN);
    }
  }
}
