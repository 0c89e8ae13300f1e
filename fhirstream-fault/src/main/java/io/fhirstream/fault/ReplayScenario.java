package io.fhirstream.fault;

import io.fhirstream.api.store.StoredDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Once the store is consistent: every topic replayed from offset 0 into the existing store by a new
 * consumer group, then every record delivered again in reverse order (older versions after newer,
 * upserts after deletes) to the pipeline's own group. Nothing may change.
 */
final class ReplayScenario implements Scenario {
  @Override
  public String name() {
    return "replay";
  }

  @Override
  public String description() {
    return "replay of the topic from offset 0 into the existing store (new consumer group), then"
        + " duplicate and out-of-order delivery: every record produced again in reverse order, so"
        + " older versions arrive after newer ones and upserts after deletes";
  }

  @Override
  public ScenarioResult run(Cluster cluster, Profile profile, CanaryLedger canaries)
      throws Exception {
    long started = System.nanoTime();
    Map<String, String> settings = cluster.settings(name(), cluster.fhirUrl);
    String topic = settings.get("hub.topic-prefix") + "Patient";
    int changes = Math.max(500, profile.changes() / 10);
    ManagedProcess pipeline = cluster.pipeline(name(), settings, null);
    WorkloadThread workload =
        new WorkloadThread(cluster.fhirUrl, 404, changes, profile.rate()).start();
    long done = workload.join();
    canaries.addAll(workload.canaries());
    Verdict before = cluster.awaitConsistent(name(), null, Duration.ofMinutes(3));
    pipeline.stopClean();
    Map<String, StoredDocument> snapshot = cluster.store.patients(name());
    try (TopicTools tools = new TopicTools(cluster.bootstrap())) {
      Map<String, String> replay = new LinkedHashMap<>(settings);
      replay.put("sink.group-id", name() + ".replay");
      ManagedProcess replayer = cluster.pipeline(name(), replay, null, "--roles", "sink");
      tools.awaitCaughtUp(name() + ".replay", topic, Duration.ofMinutes(3));
      replayer.stopClean();
      boolean unchangedByReplay = snapshot.equals(cluster.store.patients(name()));

      List<ConsumerRecord<String, byte[]>> records = tools.readAll(topic);
      List<ProducerRecord<String, byte[]>> reversed = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : records) {
        reversed.add(
            new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers()));
      }
      Collections.reverse(reversed);
      tools.produce(reversed);
      ManagedProcess redelivery = cluster.pipeline(name(), settings, null, "--roles", "sink");
      tools.awaitCaughtUp(settings.get("sink.group-id"), topic, Duration.ofMinutes(3));
      redelivery.stopClean();
      boolean unchangedByDisorder = snapshot.equals(cluster.store.patients(name()));
      Verdict after = cluster.awaitConsistent(name(), null, Duration.ofSeconds(5));
      String notes =
          unchangedByReplay && unchangedByDisorder
              ? records.size() + " records replayed, then re-delivered in reverse order"
              : "FAILED: the store changed (replay: "
                  + !unchangedByReplay
                  + ", out-of-order: "
                  + !unchangedByDisorder
                  + ")";
      Verdict verdict = before.passed() ? after : before;
      return new ScenarioResult(
          name(),
          description(),
          done,
          "1 × full replay, " + records.size() + " × out-of-order duplicate",
          verdict,
          (System.nanoTime() - started) / 1e9,
          notes);
    }
  }
}
