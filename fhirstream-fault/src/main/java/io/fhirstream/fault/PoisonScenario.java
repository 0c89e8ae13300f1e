package io.fhirstream.fault;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Poison published straight to a resource topic, each between two valid events on one partition:
 * each must reach the dead-letter topic with its reason while the valid events are all written.
 */
final class PoisonScenario implements Scenario {
  private static final String CANARY = "Qzcanarypoisonq7";

  @Override
  public String name() {
    return "poison";
  }

  @Override
  public String description() {
    return "poison records on one partition, each between valid ones: not JSON, wrong"
        + " resourceType, id ≠ key, a 20 MB string, nesting depth 10,000, invalid UTF-8, and"
        + " hostile ids (../x, a/b, a#b, 65 characters, empty, $where, ' OR 1=1--)";
  }

  private static byte[] patient(String id, String extra) {
    return ("{\"resourceType\":\"Patient\",\"id\":\""
            + id
            + "\",\"meta\":{\"versionId\":\"1\","
            + "\"lastUpdated\":\"2026-01-01T00:00:00Z\"}"
            + extra
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public ScenarioResult run(Cluster cluster, Profile profile, CanaryLedger canaries)
      throws Exception {
    long started = System.nanoTime();
    canaries.addAll(Set.of(CANARY));
    Map<String, String> settings = cluster.settings(name(), cluster.fhirUrl);
    String topic = settings.get("hub.topic-prefix") + "Patient";
    ManagedProcess sink = cluster.pipeline(name(), settings, null, "--roles", "sink");
    Map<String, byte[]> poison = new LinkedHashMap<>();
    poison.put("p-notjson", (CANARY + " is not JSON").getBytes(StandardCharsets.UTF_8));
    poison.put(
        "p-type",
        ("{\"resourceType\":\"Observation\",\"id\":\"p-type\"}").getBytes(StandardCharsets.UTF_8));
    poison.put("p-key", patient("someone-else", ""));
    poison.put("p-big", patient("p-big", ",\"text\":{\"div\":\"" + "x".repeat(20 << 20) + "\"}"));
    poison.put(
        "p-deep", patient("p-deep", ",\"extension\":" + "[".repeat(10_000) + "]".repeat(10_000)));
    byte[] badUtf8 = patient("p-utf8", ",\"name\":[{\"family\":\"__\"}]");
    int at = new String(badUtf8, StandardCharsets.ISO_8859_1).indexOf("__");
    badUtf8[at] = (byte) 0xff;
    badUtf8[at + 1] = (byte) 0xfe;
    poison.put("p-utf8", badUtf8);
    for (String id : List.of("../x", "a/b", "a#b", "x".repeat(65), "", "$where", "' OR 1=1--")) {
      poison.put(id, patient(id, ""));
    }
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    List<String> valid = new ArrayList<>(List.of("a.b"));
    records.add(new ProducerRecord<>(topic, 0, "a.b", patient("a.b", "")));
    int n = 0;
    for (var entry : poison.entrySet()) {
      String neighbour = "valid-" + n++;
      valid.add(neighbour);
      records.add(new ProducerRecord<>(topic, 0, neighbour, patient(neighbour, "")));
      records.add(new ProducerRecord<>(topic, 0, entry.getKey(), entry.getValue()));
    }
    valid.add("valid-last");
    records.add(new ProducerRecord<>(topic, 0, "valid-last", patient("valid-last", "")));
    try (TopicTools tools = new TopicTools(cluster.bootstrap())) {
      tools.awaitTopic(topic, Duration.ofMinutes(1));
      tools.setTopicConfig(topic, "max.message.bytes", Integer.toString(32 << 20));
      tools.produce(records);
      tools.awaitCaughtUp(settings.get("sink.group-id"), topic, Duration.ofMinutes(2));
      List<ConsumerRecord<String, byte[]>> dead =
          tools.readAll(settings.get("hub.dead-letter-topic"));
      List<String> reasons = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : dead) {
        reasons.add(
            record.key()
                + " -> "
                + new String(
                    record.headers().lastHeader("fhirstream.dlq.reason").value(),
                    StandardCharsets.UTF_8));
      }
      Files.write(cluster.workDir.resolve("dead-letter-reasons.log"), reasons);
      sink.stopClean();
      var store = cluster.store.patients(name());
      int lost = (int) valid.stream().filter(id -> !store.containsKey(id)).count();
      int extra = (int) store.keySet().stream().filter(id -> !valid.contains(id)).count();
      int missingDeadLetters =
          poison.size()
              - (int)
                  dead.stream()
                      .map(ConsumerRecord::key)
                      .filter(poison::containsKey)
                      .distinct()
                      .count();
      Verdict verdict =
          new Verdict(
              valid.size() + poison.size(),
              lost + missingDeadLetters,
              0,
              extra,
              0,
              reasons.size() > 8 ? reasons.subList(0, 8) : reasons);
      return new ScenarioResult(
          name(),
          description(),
          records.size(),
          poison.size() + " × poison record",
          verdict,
          (System.nanoTime() - started) / 1e9,
          dead.size()
              + " dead letters, each with its reason; "
              + (valid.size() - lost)
              + "/"
              + valid.size()
              + " valid neighbours written");
    }
  }
}
