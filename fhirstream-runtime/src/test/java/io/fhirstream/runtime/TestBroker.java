package io.fhirstream.runtime;

import io.fhirstream.runtime.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real Kafka broker for all integration tests in a JVM (starting one takes seconds); tests keep
 * apart by topic prefix and consumer group. Stopped when the test JVM exits.
 */
public final class TestBroker {
  private static EmbeddedKafkaBroker broker;

  private TestBroker() {}

  public static synchronized String bootstrapServers() {
    if (broker == null) {
      try {
        Path dir = Files.createTempDirectory("fhirstream-it-kafka");
        broker = EmbeddedKafkaBroker.start(dir, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return broker.bootstrapServers();
  }
}
