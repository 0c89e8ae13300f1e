package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.FhirServerState;
import io.fhirstream.demo.patients.PatientBundles;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.demo.patients.SyntheticRecords;
import io.fhirstream.demo.workload.Workload;
import io.fhirstream.jpaserver.JpaFhirServerProcess;
import io.fhirstream.jpaserver.TransactionLoader;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline against a real HAPI FHIR JPA server (H2, its own process), loaded through its REST
 * API with transaction Bundles shaped like Synthea's: each stamps all its resources with one {@code
 * lastUpdated}, which is what made the keyset first load read and publish a transaction's resources
 * again at every page boundary. A quiet first load must publish each resource version once (the
 * events on the topics are counted), and the store must equal the server after a mixed workload.
 */
class JpaServerPipelineIT {
  /** The record types the bundles hold. */
  private static final List<String> TYPES =
      List.of("Condition", "Encounter", "Observation", "Patient");

  private static final int PATIENTS = 24;

  private static JpaFhirServerProcess server;
  private static Map<String, Long> loaded;

  @TempDir Path dir;
  private final String prefix = "jpa" + UUID.randomUUID().toString().substring(0, 8) + ".";

  @BeforeAll
  static void startServerAndLoadPatients() throws Exception {
    server = JpaFhirServerProcess.builder().subscriptions(false).start();
    PatientBundles bundles = new PatientBundles(21, 6, 8);
    List<byte[]> transactions = new ArrayList<>();
    for (int i = 0; i < PATIENTS; i++) {
      transactions.add(bundles.next());
    }
    loaded =
        TransactionLoader.to(server.baseUrl(), 2, Duration.ofMinutes(2))
            .loadBundles(transactions)
            .createdByType();
    // The first load reads what was written before the server's clock (whole seconds) less the
    // safety lag: let the last write fall before it, so the snapshot holds every resource.
    Thread.sleep(2_100);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private Map<String, String> settings(String types, Path database) {
    Map<String, String> settings = PipelineFixture.testSettings(server.baseUrl(), prefix, database);
    settings.put("source.resource-types", types);
    // Pages much smaller than a transaction's share of a type: every page boundary falls inside
    // a group of resources that share one timestamp.
    settings.put("source.page-size", "20");
    return settings;
  }

  @Test
  void aQuietFirstLoadPublishesEachResourceOnceThenTheStoreFollowsAMixedWorkload()
      throws Exception {
    Map<String, Long> current = currentCounts();
    assertThat(current).as("loaded resources").containsAllEntriesOf(loaded);
    Path database = dir.resolve("store.db");
    try (Pipeline pipeline =
        Pipeline.start(
            Settings.parse(settings("*", database)),
            EnumSet.of(Role.SOURCE, Role.SINK),
            new SimpleMeterRegistry())) {
      assertThat(pipeline.resourceTypes()).as("* on a JPA server").hasSizeGreaterThan(100);
      awaitCursors(pipeline);
      for (String type : TYPES) {
        EventCount events = countEvents(prefix + "fhir." + type);
        assertThat(events.distinct())
            .as("%s versions published", type)
            .isEqualTo(current.get(type));
        assertThat(events.records()).as("%s events, none twice", type).isEqualTo(current.get(type));
      }

      Workload workload =
          Workload.builder()
              .client(FhirContext.forR4Cached().newRestfulGenericClient(server.baseUrl()))
              // No encounters: the server refuses to delete one an observation refers to.
              .types(List.of("Patient", "Observation", "Condition"))
              .generators(new SyntheticPatients(31), new SyntheticRecords(32))
              .seed(33)
              .build();
      for (int i = 0; i < 150; i++) {
        workload.randomChange();
      }
      assertThat(workload.changes("Patient", Workload.DELETES)).isPositive();

      assertThat(pipeline.awaitDrained(Instant.now(), Duration.ofSeconds(120)))
          .as("pipeline drained")
          .isTrue();
      assertStoreEqualsServer(database);
    }
  }

  @Test
  void keysetPagingAlsoPublishesEachResourceOnce() throws Exception {
    Map<String, Long> current = currentCounts();
    Map<String, String> settings = settings(String.join(",", TYPES), dir.resolve("keyset.db"));
    settings.put("source.search.paging", "keyset");
    try (Pipeline pipeline =
        Pipeline.start(
            Settings.parse(settings), EnumSet.of(Role.SOURCE), new SimpleMeterRegistry())) {
      awaitCursors(pipeline);
      for (String type : TYPES) {
        EventCount events = countEvents(prefix + "fhir." + type);
        assertThat(events.distinct())
            .as("%s versions published", type)
            .isEqualTo(current.get(type));
        assertThat(events.records()).as("%s events, none twice", type).isEqualTo(current.get(type));
      }
    }
  }

  /** Resources of each type on the server now, deleted ones left out. */
  private static Map<String, Long> currentCounts() {
    Map<String, Long> counts = new HashMap<>();
    for (String type : TYPES) {
      counts.put(
          type,
          FhirServerState.read(server.baseUrl(), type).values().stream()
              .filter(v -> !v.deleted())
              .count());
    }
    return counts;
  }

  private static void awaitCursors(Pipeline pipeline) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!TYPES.stream().allMatch(t -> FhirSources.cursor(pipeline, t) != null)) {
      pipeline.checkHealthy();
      assertThat(System.nanoTime()).as("first load ended in time").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private void assertStoreEqualsServer(Path database) {
    ConsistencyCheck.Result result;
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(database)) {
      result =
          ConsistencyCheck.compareAllExpected(
              TYPES, type -> FhirServerState.read(server.baseUrl(), type), reader::readAll);
    }
    assertThat(result.problems()).isEmpty();
    assertThat(result.consistent()).isTrue();
    assertThat(result.checked()).isGreaterThan(PATIENTS * 50);
  }

  /** Records on a topic, and the distinct resource versions among them ({@code ce_id}). */
  private record EventCount(long records, long distinct) {}

  private static EventCount countEvents(String topic) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers());
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long records = 0;
      Set<String> versions = new HashSet<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        assertThat(System.nanoTime()).as("read %s to its end", topic).isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          records++;
          Header id = record.headers().lastHeader("ce_id");
          versions.add(new String(id.value(), StandardCharsets.UTF_8));
        }
      }
      return new EventCount(records, versions.size());
    }
  }
}
