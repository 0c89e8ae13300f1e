package io.fhirstream.runtime.internal;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.metrics.Meters;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.WriterContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;

/** Times a store's {@code write} and {@code flush} ({@link Meters#STORE_WRITE}, {@code _FLUSH}). */
public final class TimedWriter implements DocumentWriter {
  private final DocumentWriter writer;
  private final Timer write;
  private final Timer flush;

  public TimedWriter(DocumentWriter writer, String store, MeterRegistry metrics) {
    this.writer = writer;
    this.write =
        Timer.builder(Meters.STORE_WRITE)
            .description("Time the store takes to accept one batch")
            .tag(Meters.STORE, store)
            .register(metrics);
    this.flush =
        Timer.builder(Meters.STORE_FLUSH)
            .description("Time the store takes to make a batch durable")
            .tag(Meters.STORE, store)
            .register(metrics);
  }

  @Override
  public void open(WriterContext context) {
    writer.open(context);
  }

  @Override
  public void write(List<ChangeEvent> batch) {
    long started = System.nanoTime();
    try {
      writer.write(batch);
    } finally {
      write.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void flush() {
    long started = System.nanoTime();
    try {
      writer.flush();
    } finally {
      flush.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void close() {
    writer.close();
  }
}
