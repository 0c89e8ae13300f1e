package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.hub.HubFeed;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.internal.CrashPoints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** A topic another system publishes to, read through the source context's feed on a real broker. */
class HubFeedIT {
  private final String topic = "feed-" + UUID.randomUUID().toString().substring(0, 8);
  private final String group = topic + "-group";

  @Test
  void whatIsCommittedIsNotReadAgainAndWhatIsNotIsHandedToTheNextReader() throws Exception {
    Settings settings = settings();
    HubConfig hub = settings.hub().withBootstrapServers(TestBroker.bootstrapServers());
    try (Admin admin = KafkaClients.admin(hub)) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    publish(hub, "one", "two", "three");

    try (RuntimeSourceContext context = context(settings, hub)) {
      HubFeed feed = context.feed(topic, group);
      assertThat(values(pollAll(feed, 3))).containsExactlyInAnyOrder("one", "two", "three");
      feed.commit();
      publish(hub, "four");
      assertThat(values(pollAll(feed, 1))).containsExactly("four");
      // not committed: a crash now hands "four" to whoever reads the group next
    }
    try (RuntimeSourceContext context = context(settings, hub)) {
      HubFeed feed = context.feed(topic, group);
      List<HubFeed.Entry> again = pollAll(feed, 1);
      assertThat(values(again)).containsExactly("four");
      assertThat(again.get(0).position()).startsWith(topic + "-");
      assertThat(again.get(0).toString()).doesNotContain("four");
    }
  }

  private static Settings settings() {
    Map<String, String> raw = new HashMap<>();
    raw.put("source.fhir.base-url", "http://127.0.0.1/fhir");
    raw.put("kafka.bootstrap.servers", TestBroker.bootstrapServers());
    raw.put("store.sqlite.path", "unused.db");
    return Settings.parse(raw);
  }

  private static RuntimeSourceContext context(Settings settings, HubConfig hub) {
    return new RuntimeSourceContext(
        settings.runtime(), hub, new SimpleMeterRegistry(), CrashPoints.fromSystemProperty());
  }

  private void publish(HubConfig hub, String... values) throws Exception {
    try (var producer = KafkaClients.producer(hub, "feed-test")) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value, value.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  private static List<HubFeed.Entry> pollAll(HubFeed feed, int expected) {
    List<HubFeed.Entry> entries = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (entries.size() < expected && System.nanoTime() < deadline) {
      entries.addAll(feed.poll(Duration.ofMillis(200)));
    }
    entries.addAll(feed.poll(Duration.ofMillis(300))); // nothing more than expected
    return entries;
  }

  private static List<String> values(List<HubFeed.Entry> entries) {
    return entries.stream().map(e -> new String(e.value(), StandardCharsets.UTF_8)).toList();
  }
}
