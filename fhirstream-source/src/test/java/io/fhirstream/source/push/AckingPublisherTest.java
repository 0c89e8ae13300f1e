package io.fhirstream.source.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.hub.EventPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AckingPublisherTest {
  /** Records what was sent and flushed; fails the flush that covers a poisoned id. */
  private static final class RecordingPublisher implements EventPublisher {
    final List<String> sent = new ArrayList<>();
    final List<String> flushed = new ArrayList<>();

    @Override
    public synchronized void send(ChangeEvent event) {
      sent.add(event.id());
    }

    @Override
    public synchronized void flush() {
      List<String> group = sent.subList(flushed.size(), sent.size());
      boolean poisoned = group.contains("poison");
      flushed.addAll(group);
      if (poisoned) {
        throw new RetriableException("broker unavailable");
      }
    }
  }

  private static ChangeEvent event(String id) {
    return ChangeEvent.upsert(
        "Patient", id, "1", Instant.EPOCH, "{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aChangeIsAcknowledgedOnlyAfterAFlushCoveredIt() throws Exception {
    RecordingPublisher recording = new RecordingPublisher();
    try (AckingPublisher publisher = new AckingPublisher(recording)) {
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        acks.add(publisher.publish(event("p" + i)));
      }
      for (CompletableFuture<Void> ack : acks) {
        ack.get(10, TimeUnit.SECONDS);
      }
      synchronized (recording) {
        assertThat(recording.flushed).hasSize(100);
      }
    }
  }

  @Test
  void aFailedFlushFailsTheChangesItCoveredAndNoOthers() throws Exception {
    RecordingPublisher recording = new RecordingPublisher();
    try (AckingPublisher publisher = new AckingPublisher(recording)) {
      publisher.publish(event("before")).get(10, TimeUnit.SECONDS);
      CompletableFuture<Void> poisoned = publisher.publish(event("poison"));
      assertThatThrownBy(() -> poisoned.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(RetriableException.class);
      publisher.publish(event("after")).get(10, TimeUnit.SECONDS);
    }
  }
}
