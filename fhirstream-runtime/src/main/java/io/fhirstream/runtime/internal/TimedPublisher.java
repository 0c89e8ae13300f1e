package io.fhirstream.runtime.internal;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.api.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Times a source's publishing until the hub's acknowledgement ({@link Meters#SOURCE_PUBLISH}), and
 * counts the times the hub was away for now ({@link Meters#RETRIES}, cause {@code hub}): the source
 * then retries the same window.
 */
public final class TimedPublisher implements EventPublisher {
  private final EventPublisher publisher;
  private final Timer publish;
  private final Counter hubRetries;

  public TimedPublisher(EventPublisher publisher, String name, MeterRegistry metrics) {
    this.publisher = publisher;
    this.publish =
        Timer.builder(Meters.SOURCE_PUBLISH)
            .description("Time to publish a batch and have the hub acknowledge it")
            .tag(Meters.PUBLISHER, name)
            .register(metrics);
    this.hubRetries =
        Counter.builder(Meters.RETRIES)
            .description("Retries after a transient failure")
            .tag(Meters.STAGE, "source")
            .tag(Meters.CAUSE, "hub")
            .register(metrics);
  }

  @Override
  public void send(ChangeEvent event) {
    publisher.send(event);
  }

  @Override
  public void flush() {
    timed(publisher::flush);
  }

  @Override
  public void publish(List<ChangeEvent> batch) {
    timed(() -> publisher.publish(batch));
  }

  private void timed(Runnable call) {
    long started = System.nanoTime();
    try {
      call.run();
    } catch (RetriableException e) {
      hubRetries.increment();
      throw e;
    } finally {
      publish.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void close() {
    publisher.close();
  }
}
