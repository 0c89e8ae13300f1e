package io.fhirstream.analytics.stream;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A value on its way out of a processor with the topic it goes to; null topic for the internal
 * delta stream. Only the value is written ({@link #SERDE}).
 */
record Routed(String topic, byte[] value) {

  /** Writes the value alone; routed values are never read back as such. */
  static final Serde<Routed> SERDE =
      Serdes.serdeFrom(
          (topic, routed) -> routed == null ? null : routed.value(),
          (topic, bytes) -> {
            throw new UnsupportedOperationException("routed values are write-only");
          });
}
