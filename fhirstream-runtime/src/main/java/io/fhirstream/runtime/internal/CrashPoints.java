package io.fhirstream.runtime.internal;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.WriterContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test hook for the fault harness: halts the JVM, like {@code kill -9}, the n-th time a named
 * point is reached, so the harness can crash the pipeline exactly between a write and its
 * acknowledgement. Armed only by the system property {@code fhirstream.test.crash-at=<point>:<n>};
 * the runtime then wraps the store's writer or the source's publishers, so no plugin knows of it.
 */
public final class CrashPoints {
  /** After the store's flush returned and before the sink commits the offsets it covers. */
  public static final String SINK_AFTER_FLUSH = "sink-after-flush";

  /** After the hub acknowledged a batch and before the source commits the cursor it covers. */
  public static final String SOURCE_AFTER_PUBLISH = "source-after-publish";

  private final String point;
  private final int count;
  private final AtomicInteger reached = new AtomicInteger();

  private CrashPoints(String point, int count) {
    this.point = point;
    this.count = count;
  }

  /** The hook the system property arms, or one that never halts. */
  public static CrashPoints fromSystemProperty() {
    String spec = System.getProperty("fhirstream.test.crash-at");
    int colon = spec == null ? -1 : spec.lastIndexOf(':');
    return colon < 0
        ? new CrashPoints(null, 0)
        : new CrashPoints(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1)));
  }

  /** The writer, halting after its n-th flush when {@link #SINK_AFTER_FLUSH} is armed. */
  public DocumentWriter afterFlush(DocumentWriter writer) {
    if (!SINK_AFTER_FLUSH.equals(point)) {
      return writer;
    }
    return new DocumentWriter() {
      @Override
      public void open(WriterContext context) {
        writer.open(context);
      }

      @Override
      public void write(List<ChangeEvent> batch) {
        writer.write(batch);
      }

      @Override
      public void flush() {
        writer.flush();
        reached(SINK_AFTER_FLUSH);
      }

      @Override
      public void close() {
        writer.close();
      }
    };
  }

  /** The publisher, halting after its n-th acknowledged batch when armed for the source. */
  public EventPublisher afterPublish(EventPublisher publisher) {
    if (!SOURCE_AFTER_PUBLISH.equals(point)) {
      return publisher;
    }
    return new EventPublisher() {
      @Override
      public void send(ChangeEvent event) {
        publisher.send(event);
      }

      @Override
      public void flush() {
        publisher.flush();
        reached(SOURCE_AFTER_PUBLISH);
      }

      @Override
      public void publish(List<ChangeEvent> batch) {
        publisher.publish(batch);
        reached(SOURCE_AFTER_PUBLISH);
      }

      @Override
      public void close() {
        publisher.close();
      }
    };
  }

  private void reached(String at) {
    if (reached.incrementAndGet() == count) {
      System.err.println("fhirstream: test crash point " + at + " reached; halting");
      Runtime.getRuntime().halt(137);
    }
  }
}
