package io.fhirstream.analytics.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;

/** Record headers the analytics role reads and writes. */
public final class Headers {
  /** The hub's version header on a tombstone (and an upsert), as the source writes it. */
  public static final String FHIR_VERSION_ID = "fhir_version_id";

  /** The hub's CloudEvents time: the version's meta.lastUpdated. */
  public static final String CE_TIME = "ce_time";

  /** The version of a result document on an aggregate's topic (also on a tombstone). */
  public static final String RESULT_VERSION = "fhirstream.result.version";

  /**
   * On a result: when the change that made it was written to the FHIR server (epoch ms), for
   * measuring how long a change takes to reach the store.
   */
  public static final String SOURCE_TIME = "fhirstream.result.source-time";

  /** Dead-letter headers, the same the sink role writes (fhirstream-kafka's DeadLetters). */
  public static final String DLQ_REASON = "fhirstream.dlq.reason";

  public static final String DLQ_TOPIC = "fhirstream.dlq.topic";
  public static final String DLQ_PARTITION = "fhirstream.dlq.partition";
  public static final String DLQ_OFFSET = "fhirstream.dlq.offset";

  private Headers() {}

  public static String text(org.apache.kafka.common.header.Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
