package io.fhirstream.cli;

import io.fhirstream.runtime.Pipeline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.time.Duration;

/** The live progress line: published, written, dead letters, sink lag, changes per second. */
final class Progress {
  private final MeterRegistry metrics;
  private final Pipeline pipeline;
  private final PrintStream out;
  private final java.util.function.Consumer<String> lines;
  private final boolean sameLine;
  private long lastWritten;
  private long lastNanos = System.nanoTime();

  /**
   * @param sameLine redraw one line (a terminal) rather than print a line each time (a log)
   */
  Progress(MeterRegistry metrics, Pipeline pipeline, PrintStream out, boolean sameLine) {
    this.metrics = metrics;
    this.pipeline = pipeline;
    this.out = out;
    this.lines = null;
    this.sameLine = sameLine;
  }

  /**
   * A progress line every 10 s handed to {@code lines}, e.g. the log, so that it takes the log's
   * format (one JSON object per line with FHIRSTREAM_LOG_FORMAT=json).
   */
  Progress(MeterRegistry metrics, Pipeline pipeline, java.util.function.Consumer<String> lines) {
    this.metrics = metrics;
    this.pipeline = pipeline;
    this.out = null;
    this.lines = lines;
    this.sameLine = false;
  }

  Duration interval() {
    return sameLine ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
  }

  void print() {
    print("");
  }

  void print(String prefix) {
    long written = count("fhirstream.sink.written");
    long now = System.nanoTime();
    double rate = (written - lastWritten) * 1e9 / Math.max(1, now - lastNanos);
    lastWritten = written;
    lastNanos = now;
    long lag = pipeline.sink() == null ? -1 : pipeline.sink().lag();
    String line =
        String.format(
            "%spublished %,d | written %,d | dead letters %,d | sink lag %s | %,.0f changes/s",
            prefix,
            count("fhirstream.source.published"),
            written,
            count("fhirstream.sink.dead-letters"),
            lag < 0 ? "-" : String.format("%,d", lag),
            rate);
    if (lines != null) {
      lines.accept(line);
      return;
    }
    if (sameLine) {
      out.print("\r" + line + "   ");
    } else {
      out.println(line);
    }
    out.flush();
  }

  long count(String name) {
    return (long) metrics.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
