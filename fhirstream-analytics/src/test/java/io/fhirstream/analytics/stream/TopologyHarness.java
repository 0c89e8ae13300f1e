package io.fhirstream.analytics.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.analytics.AnalyticsDefinitions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The topology on a {@link TopologyTestDriver}, with resources piped in as the hub carries them and
 * every output topic read back into the latest value per key.
 */
final class TopologyHarness implements AutoCloseable {
  static final TopicNames TOPICS = new TopicNames("fhir.", "fhirstream.dead-letters", "an.");
  private static final ObjectMapper JSON = new ObjectMapper();

  final TopologyTestDriver driver;
  final RecordingObserver observer = new RecordingObserver();
  private final Path stateDir;
  private final Map<String, TestInputTopic<String, byte[]>> inputs = new LinkedHashMap<>();
  private final Map<String, TestOutputTopic<String, byte[]>> outputs = new LinkedHashMap<>();
  private final Map<String, Map<String, TestRecord<String, byte[]>>> latest = new LinkedHashMap<>();
  private final Map<String, List<TestRecord<String, byte[]>>> all = new LinkedHashMap<>();

  TopologyHarness(AnalyticsDefinitions definitions) {
    try {
      stateDir = Files.createTempDirectory("analytics-ttd");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analytics-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver =
        new TopologyTestDriver(
            AnalyticsTopology.build(definitions, TOPICS, observer),
            props,
            Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Pipes a resource version as the source publishes it: key id, value JSON, version headers. */
  void upsert(String type, String id, String json) {
    RecordHeaders headers = new RecordHeaders();
    input(type).pipeInput(new TestRecord<>(id, json.getBytes(StandardCharsets.UTF_8), headers));
    emit();
  }

  /** Lets the wall-clock punctuation send the results changed so far. */
  void emit() {
    driver.advanceWallClockTime(java.time.Duration.ofMillis(100));
  }

  /** Pipes a deletion: a tombstone with the version and time in headers. */
  void delete(String type, String id, String versionId, String lastUpdated) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(Headers.FHIR_VERSION_ID, versionId.getBytes(StandardCharsets.UTF_8));
    if (lastUpdated != null) {
      headers.add(Headers.CE_TIME, lastUpdated.getBytes(StandardCharsets.UTF_8));
    }
    input(type).pipeInput(new TestRecord<>(id, null, headers));
    emit();
  }

  /** Pipes raw bytes (for bad records). */
  void raw(String type, String id, byte[] value) {
    input(type).pipeInput(new TestRecord<>(id, value, new RecordHeaders()));
    emit();
  }

  private TestInputTopic<String, byte[]> input(String type) {
    return inputs.computeIfAbsent(
        type,
        t ->
            driver.createInputTopic(
                TOPICS.resourceTopic(t), new StringSerializer(), new ByteArraySerializer()));
  }

  /** Every record of a topic so far, in order. */
  List<TestRecord<String, byte[]>> records(String topic) {
    drain(topic);
    return all.getOrDefault(topic, List.of());
  }

  /** The latest value per key of a topic; tombstones remove the key. */
  Map<String, JsonNode> current(String topic) {
    drain(topic);
    Map<String, JsonNode> out = new LinkedHashMap<>();
    latest
        .getOrDefault(topic, Map.of())
        .forEach(
            (key, record) -> {
              if (record.value() != null) {
                out.put(key, json(record.value()));
              }
            });
    return out;
  }

  /** The last record of a key (null value for a tombstone), or null if none. */
  TestRecord<String, byte[]> last(String topic, String key) {
    drain(topic);
    return latest.getOrDefault(topic, Map.of()).get(key);
  }

  /** The measure of a result, or null when the result is absent. */
  JsonNode measure(String aggregate, String id, String measure) {
    JsonNode document = current(TOPICS.aggregateTopic(aggregate)).get(id);
    return document == null ? null : document.path("measures").path(measure);
  }

  private void drain(String topic) {
    TestOutputTopic<String, byte[]> output =
        outputs.computeIfAbsent(
            topic,
            t ->
                driver.createOutputTopic(t, new StringDeserializer(), new ByteArrayDeserializer()));
    for (TestRecord<String, byte[]> record : output.readRecordsToList()) {
      latest.computeIfAbsent(topic, t -> new LinkedHashMap<>()).put(record.key(), record);
      all.computeIfAbsent(topic, t -> new ArrayList<>()).add(record);
    }
  }

  static JsonNode json(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String patient(
      String id, int version, String lastUpdated, String gender, String birthDate, String city) {
    return "{\"resourceType\":\"Patient\",\"id\":\""
        + id
        + "\",\"meta\":{\"versionId\":\""
        + version
        + "\",\"lastUpdated\":\""
        + lastUpdated
        + "\"},\"name\":[{\"family\":\"F"
        + version
        + "\"}],\"gender\":\""
        + gender
        + "\",\"birthDate\":\""
        + birthDate
        + "\",\"address\":[{\"use\":\"home\",\"city\":\""
        + city
        + "\",\"state\":\"MA\"}]}";
  }

  static String observation(
      String id,
      int version,
      String lastUpdated,
      String patient,
      String loinc,
      String effective,
      String value) {
    return "{\"resourceType\":\"Observation\",\"id\":\""
        + id
        + "\",\"meta\":{\"versionId\":\""
        + version
        + "\",\"lastUpdated\":\""
        + lastUpdated
        + "\"},\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\""
        + loinc
        + "\"}]},\"subject\":{\"reference\":\"Patient/"
        + patient
        + "\"},\"effectiveDateTime\":\""
        + effective
        + "\",\"valueQuantity\":{\"value\":"
        + value
        + ",\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
  }

  @Override
  public void close() {
    driver.close();
    try (var walk = Files.walk(stateDir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: left for the OS
    }
  }

  /** Counts what the topology reports. */
  static final class RecordingObserver implements AnalyticsObserver {
    final Map<String, Integer> counts = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void duplicate(String resourceType) {
      counts.merge("duplicate", 1, Integer::sum);
    }

    @Override
    public void deadLetter(String resourceType) {
      counts.merge("deadLetter", 1, Integer::sum);
    }

    @Override
    public void late(String aggregate) {
      counts.merge("late:" + aggregate, 1, Integer::sum);
    }

    int count(String what) {
      return counts.getOrDefault(what, 0);
    }
  }
}
