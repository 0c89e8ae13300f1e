package io.fhirstream.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of fhirstream (INFO and up) and of the Kafka clients and broker (INFO
 * and up, where they print their configurations), messages and stack traces, for scanning. The
 * Kafka loggers write only here while capturing, to keep the build log short.
 */
public final class LogCapture implements AutoCloseable {
  private static final List<String> KAFKA = List.of("org.apache.kafka", "kafka");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  public LogCapture() {
    appender.setContext(context);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    for (String name : KAFKA) {
      Logger logger = context.getLogger(name);
      logger.setLevel(Level.INFO);
      logger.setAdditive(false);
      logger.addAppender(appender);
    }
  }

  /** Everything captured so far, one string per event with its stack trace. */
  public synchronized List<String> texts() {
    return List.copyOf(appender.list).stream()
        .map(
            e ->
                e.getLoggerName()
                    + " "
                    + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
        .toList();
  }

  @Override
  public void close() {
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    for (String name : KAFKA) {
      Logger logger = context.getLogger(name);
      logger.detachAppender(appender);
      logger.setLevel(null);
      logger.setAdditive(true);
    }
    appender.stop();
  }
}
