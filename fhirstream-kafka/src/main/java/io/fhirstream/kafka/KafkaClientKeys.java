package io.fhirstream.kafka;

import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.UnknownKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Checks the Kafka client settings that pass through under {@code kafka.} against the names the
 * Kafka clients themselves declare, so a typo ({@code kafka.bootstrap.server}) stops the start with
 * a suggestion instead of being ignored by the client: {@code kafka.producer.*} against the
 * producer's names, {@code kafka.consumer.*} against the consumer's, any other {@code kafka.*}
 * against the names of the producer, the consumer or the admin client.
 */
public final class KafkaClientKeys {
  private static final String PREFIX = "kafka.";
  private static final String PRODUCER = PREFIX + "producer.";
  private static final String CONSUMER = PREFIX + "consumer.";

  private static final Set<String> PRODUCER_NAMES = ProducerConfig.configNames();
  private static final Set<String> CONSUMER_NAMES = ConsumerConfig.configNames();
  private static final Set<String> ANY_CLIENT = anyClient();

  private KafkaClientKeys() {}

  /** The problems of the {@code kafka.*} keys of {@code raw}: one per key no client knows. */
  public static List<ConfigException> problems(Map<String, String> raw) {
    List<ConfigException> problems = new ArrayList<>();
    for (String key : raw.keySet()) {
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      if (key.startsWith(PRODUCER)) {
        check(key, PRODUCER, PRODUCER_NAMES, "producer", problems);
      } else if (key.startsWith(CONSUMER)) {
        check(key, CONSUMER, CONSUMER_NAMES, "consumer", problems);
      } else {
        check(key, PREFIX, ANY_CLIENT, "Kafka client", problems);
      }
    }
    return problems;
  }

  private static void check(
      String key, String prefix, Set<String> names, String client, List<ConfigException> out) {
    if (names.contains(key.substring(prefix.length()))) {
      return;
    }
    List<String> candidates = names.stream().map(name -> prefix + name).toList();
    out.add(
        UnknownKeys.unknown(
            key,
            candidates,
            "no "
                + client
                + " setting has that name (Kafka's client configuration reference lists them;"
                + " give them after '"
                + prefix
                + "')"));
  }

  private static Set<String> anyClient() {
    Set<String> names = new TreeSet<>(PRODUCER_NAMES);
    names.addAll(CONSUMER_NAMES);
    names.addAll(AdminClientConfig.configNames());
    return names;
  }
}
