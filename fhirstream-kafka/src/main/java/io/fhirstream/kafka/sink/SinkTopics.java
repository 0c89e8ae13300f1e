package io.fhirstream.kafka.sink;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The topics a sink reads: a list known at start-up, or every topic matching a pattern, for a sink
 * that runs without the source and streams {@code *} (the types are known only to the source).
 */
public sealed interface SinkTopics {

  /** Subscribes the consumer. */
  void subscribe(Consumer<String, byte[]> consumer);

  static SinkTopics of(List<String> topics) {
    return new Listed(List.copyOf(topics));
  }

  /** Every topic matching the pattern, including ones created while the sink runs. */
  static SinkTopics matching(Pattern pattern) {
    return new Matching(pattern);
  }

  /** A fixed list of topics. */
  record Listed(List<String> topics) implements SinkTopics {
    @Override
    public void subscribe(Consumer<String, byte[]> consumer) {
      consumer.subscribe(topics);
    }
  }

  /** A pattern; Kafka re-checks it at every metadata refresh ({@code metadata.max.age.ms}). */
  record Matching(Pattern pattern) implements SinkTopics {
    @Override
    public void subscribe(Consumer<String, byte[]> consumer) {
      consumer.subscribe(pattern);
    }
  }
}
