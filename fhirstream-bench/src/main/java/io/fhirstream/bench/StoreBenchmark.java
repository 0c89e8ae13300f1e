package io.fhirstream.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import io.fhirstream.bench.ceiling.DriverCeiling;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.TopicSetup;
import io.fhirstream.kafka.publish.KafkaEventPublisher;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.embedded.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Patient;

/**
 * For each configured store: documents per second drained from the event hub through the sink
 * (Kafka consumer, decode, version-guarded write, flush, offset commit), against the store's raw
 * driver ceiling ({@link DriverCeiling}) measured in the same run on the same documents.
 */
public final class StoreBenchmark {
  private static final String ORIGIN = "http://127.0.0.1/fhir";

  private final int documents;
  private final Path dataDir;
  private final PrintStream log;

  public StoreBenchmark(int documents, Path dataDir, PrintStream log) {
    this.documents = documents;
    this.dataDir = dataDir;
    this.log = log;
  }

  /**
   * One store's figures.
   *
   * @param drained documents/s through the sink from Kafka, timed from the first committed batch to
   *     the last (the consumer group's join is start-up, not throughput)
   * @param driverCeiling documents/s of plain batched upserts with the store's driver
   */
  public record Result(String store, int documents, double drained, double driverCeiling) {
    public double ratio() {
      return drained / driverCeiling;
    }
  }

  /**
   * @param settings raw settings naming each store's connection ({@code store.<store>.*})
   */
  public List<Result> run(List<String> stores, Map<String, String> settings) throws Exception {
    Benchmark.wipe(dataDir);
    List<ChangeEvent> events = patients();
    List<Result> results = new ArrayList<>();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0)) {
      for (String store : stores) {
        Map<String, String> raw = new LinkedHashMap<>(settings);
        raw.putIfAbsent("store.sqlite.path", dataDir.resolve("store-bench.db").toString());
        raw.put("store.type", store);
        raw.put("source.fhir.base-url", ORIGIN);
        raw.put("kafka.bootstrap.servers", broker.bootstrapServers());
        raw.put("hub.topic-prefix", "bench-" + store + ".");
        raw.put("sink.group-id", "bench-" + store);
        Settings parsed = Settings.parse(raw);
        DriverCeiling ceiling =
            DriverCeiling.forStore(store)
                .orElseThrow(
                    () ->
                        new PipelineException(
                            "store " + store + " cannot measure its driver ceiling"));
        produce(parsed.hub(), events);
        double drained = drain(parsed, events.size());
        double driver = ceiling.upsertsPerSecond(parsed.storeConfig(), events);
        Result result = new Result(store, events.size(), drained, driver);
        log.printf(
            "store %s: sink drained from Kafka %,.0f docs/s; driver alone %,.0f docs/s (%.0f %%)%n",
            store, drained, driver, 100 * result.ratio());
        results.add(result);
      }
    }
    return results;
  }

  /** Distinct synthetic patients, each one version, as the FHIR server would send them. */
  private List<ChangeEvent> patients() {
    IParser json = FhirContext.forR4Cached().newJsonParser();
    SyntheticPatients generator = new SyntheticPatients(21);
    Instant lastUpdated = Instant.parse("2026-01-01T00:00:00Z");
    List<ChangeEvent> events = new ArrayList<>(documents);
    for (int i = 0; i < documents; i++) {
      Patient patient = generator.next();
      String id = "bench-" + i;
      patient.setId(id);
      patient.getMeta().setVersionId("1").setLastUpdated(java.util.Date.from(lastUpdated));
      byte[] body = json.encodeResourceToString(patient).getBytes(StandardCharsets.UTF_8);
      events.add(ChangeEvent.upsert("Patient", id, "1", lastUpdated, body));
    }
    return events;
  }

  private static void produce(HubConfig hub, List<ChangeEvent> events) {
    TopicSetup.ensure(hub, List.of("Patient"));
    try (KafkaEventPublisher publisher =
        new KafkaEventPublisher(
            KafkaClients.producer(hub, "bench-store"), new EventCodec(hub, URI.create(ORIGIN)))) {
      events.forEach(publisher::send);
      publisher.flush();
    }
  }

  private static double drain(Settings settings, int count) throws InterruptedException {
    AtomicLong first = new AtomicLong();
    AtomicLong firstBatch = new AtomicLong();
    AtomicLong last = new AtomicLong();
    AtomicLong committed = new AtomicLong();
    try (Pipeline pipeline =
        Pipeline.start(settings, EnumSet.of(Role.SINK), new SimpleMeterRegistry())) {
      pipeline
          .sink()
          .onCommitted(
              batch -> {
                long now = System.nanoTime();
                if (first.compareAndSet(0, now)) {
                  firstBatch.set(batch.size());
                }
                last.set(now);
                committed.addAndGet(batch.size());
              });
      if (!pipeline.awaitDrained(Instant.EPOCH, Duration.ofMinutes(15))) {
        throw new PipelineException("the sink did not drain within 15 minutes");
      }
    }
    if (committed.get() < count) {
      throw new PipelineException(
          "the sink committed " + committed.get() + " of " + count + " documents");
    }
    return (count - firstBatch.get()) / ((last.get() - first.get()) / 1e9);
  }
}
