package io.fhirstream.runtime.embedded;

/** A Kafka broker the app runs itself; closed when the app stops. */
public interface KafkaBroker extends AutoCloseable {

  /** {@code host:port} for {@code bootstrap.servers}. */
  String bootstrapServers();

  /** Stops the broker cleanly; its data stays on disk. */
  @Override
  void close();
}
