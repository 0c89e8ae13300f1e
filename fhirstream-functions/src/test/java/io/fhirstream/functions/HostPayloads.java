package io.fhirstream.functions;

import com.microsoft.azure.functions.ExecutionContext;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A batch as the Functions host hands it to a Java function with an Event Hubs trigger of
 * cardinality MANY and dataType binary, for events fhirstream's source published over the Kafka
 * protocol: the bodies (empty for a tombstone), {@code PropertiesArray} with each Kafka header as
 * AMQP binary, which reaches the Java worker through JSON as base64 text, and {@code
 * SystemPropertiesArray} as JSON objects whose numbers the worker turns into doubles.
 */
final class HostPayloads {
  final List<byte[]> bodies = new ArrayList<>();
  final List<Map<String, Object>> properties = new ArrayList<>();
  final List<Map<String, Object>> system = new ArrayList<>();
  private final EventCodec codec;
  private long sequenceNumber;

  HostPayloads(HubConfig hub, long firstSequenceNumber) {
    this.codec = new EventCodec(hub, URI.create("https://fhir.example.org/fhir"));
    this.sequenceNumber = firstSequenceNumber;
  }

  /** An event as fhirstream's source publishes it. */
  HostPayloads add(ChangeEvent event) {
    ProducerRecord<String, byte[]> record = codec.encode(event);
    Map<String, Object> props = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      props.put(header.key(), Base64.getEncoder().encodeToString(header.value()));
    }
    return add(record.value(), props, record.key());
  }

  /** Any body and properties, e.g. poison from another producer. */
  HostPayloads add(byte[] body, Map<String, Object> props, String partitionKey) {
    bodies.add(body == null ? new byte[0] : body);
    properties.add(props);
    Map<String, Object> sys = new LinkedHashMap<>();
    sys.put("SequenceNumber", (double) sequenceNumber);
    sys.put("Offset", Long.toString(sequenceNumber * 512));
    sys.put("PartitionKey", partitionKey);
    sys.put("EnqueuedTimeUtc", "2026-12-06T05:00:00Z");
    sequenceNumber++;
    system.add(sys);
    return this;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object>[] propertiesArray() {
    return properties.toArray(new Map[0]);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object>[] systemPropertiesArray() {
    return system.toArray(new Map[0]);
  }

  /** What the Java worker passes as the ExecutionContext. */
  static ExecutionContext context(String functionName) {
    Logger logger = Logger.getLogger("Function." + functionName);
    return new ExecutionContext() {
      @Override
      public Logger getLogger() {
        return logger;
      }

      @Override
      public String getInvocationId() {
        return java.util.UUID.randomUUID().toString();
      }

      @Override
      public String getFunctionName() {
        return functionName;
      }
    };
  }
}
