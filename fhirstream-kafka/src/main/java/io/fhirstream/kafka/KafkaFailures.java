package io.fhirstream.kafka;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/** Sorts Kafka client failures into fhirstream's retriable and fatal kinds, with a fix. */
public final class KafkaFailures {
  private KafkaFailures() {}

  /**
   * @param what what was being done, e.g. "publishing change events"
   */
  public static RuntimeException classify(String what, Throwable failure) {
    if (failure instanceof RecordTooLargeException) {
      return new PipelineException(
          what
              + " failed: a record exceeds the hub's message size limit; raise"
              + " kafka.producer.max.request.size and the topic's max.message.bytes",
          failure);
    }
    if (failure instanceof AuthenticationException || failure instanceof AuthorizationException) {
      return new PipelineException(
          what
              + " failed: Kafka refused the credentials or permissions ("
              + failure.getClass().getSimpleName()
              + "); check kafka.sasl.jaas.config, kafka.sasl.mechanism and"
              + " kafka.security.protocol (or hub.eventhubs.* for Azure Event Hubs)",
          failure);
    }
    if (failure instanceof org.apache.kafka.common.errors.RetriableException
        || failure instanceof org.apache.kafka.common.errors.TimeoutException
        || failure instanceof org.apache.kafka.common.errors.DisconnectException) {
      return new RetriableException(
          what + " failed for now (" + failure.getClass().getSimpleName() + ")", failure);
    }
    return new PipelineException(
        what + " failed: " + failure.getClass().getSimpleName() + ": " + failure.getMessage(),
        failure);
  }
}
