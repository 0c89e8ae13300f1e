package io.fhirstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.config.ConfigDefinition;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private static final HubConfig HUB = HubConfig.from(HubConfig.DEFINITION.parse(Map.of()));
  private static final EventCodec CODEC =
      new EventCodec(HUB, URI.create("http://127.0.0.1:8080/fhir"));
  private static final String PATIENT =
      "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"meta\":{\"versionId\":\"2\","
          + "\"lastUpdated\":\"2026-11-20T10:00:00.123Z\"},\"name\":[{\"family\":\"Johnson\"}]}";

  private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> sent) {
    ConsumerRecord<String, byte[]> record =
        new ConsumerRecord<>(
            sent.topic(),
            0,
            42L,
            0L,
            TimestampType.CREATE_TIME,
            0,
            0,
            sent.key(),
            sent.value(),
            sent.headers(),
            java.util.Optional.empty());
    return record;
  }

  private static ConsumerRecord<String, byte[]> raw(String topic, String key, String value) {
    return new ConsumerRecord<>(
        topic, 0, 7L, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void upsertTravelsAsReceivedWithCloudEventsHeaders() throws BadEventException {
    ChangeEvent event =
        ChangeEvent.upsert(
            "Patient",
            "p1",
            "2",
            Instant.parse("2026-11-20T10:00:00.123Z"),
            PATIENT.getBytes(StandardCharsets.UTF_8));

    ProducerRecord<String, byte[]> record = CODEC.encode(event);

    assertThat(record.topic()).isEqualTo("fhir.Patient");
    assertThat(record.key()).isEqualTo("p1");
    assertThat(record.value()).isEqualTo(event.body());
    Headers headers = record.headers();
    assertThat(EventCodec.header(headers, EventCodec.SPEC_VERSION)).isEqualTo("1.0");
    assertThat(EventCodec.header(headers, EventCodec.ID)).isEqualTo("Patient/p1/_history/2");
    assertThat(EventCodec.header(headers, EventCodec.SOURCE))
        .isEqualTo("http://127.0.0.1:8080/fhir");
    assertThat(EventCodec.header(headers, EventCodec.TYPE)).isEqualTo(EventCodec.TYPE_UPSERTED);
    assertThat(EventCodec.header(headers, EventCodec.TIME)).isEqualTo("2026-11-20T10:00:00.123Z");
    assertThat(EventCodec.header(headers, EventCodec.CONTENT_TYPE))
        .isEqualTo("application/fhir+json");

    ChangeEvent decoded = CODEC.decode(consumed(record));
    assertThat(decoded.body()).isEqualTo(event.body());
    assertThat(decoded.versionId()).isEqualTo("2");
    assertThat(decoded.origin().offset()).isEqualTo(42L);
  }

  @Test
  void deletionIsATombstoneThatKeepsItsVersion() throws BadEventException {
    ChangeEvent event =
        ChangeEvent.delete("Patient", "p1", "3", Instant.parse("2026-11-20T10:00:01Z"));

    ProducerRecord<String, byte[]> record = CODEC.encode(event);

    assertThat(record.value()).isNull();
    assertThat(EventCodec.header(record.headers(), EventCodec.TYPE))
        .isEqualTo(EventCodec.TYPE_DELETED);
    ChangeEvent decoded = CODEC.decode(consumed(record));
    assertThat(decoded.deleted()).isTrue();
    assertThat(decoded.versionId()).isEqualTo("3");
    assertThat(decoded.lastUpdated()).isEqualTo(Instant.parse("2026-11-20T10:00:01Z"));
  }

  @Test
  void poisonRecordsAreRejectedWithReasonsThatNeverQuoteThePayload() {
    assertThatThrownBy(() -> CODEC.decode(raw("fhir.Patient", "p1", "Johnson Smith")))
        .isInstanceOf(BadEventException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageNotContaining("Johnson");
    assertThatThrownBy(() -> CODEC.decode(raw("fhir.Patient", "other", PATIENT)))
        .hasMessageContaining("id does not equal the record key");
    assertThatThrownBy(() -> CODEC.decode(raw("fhir.Observation", "p1", PATIENT)))
        .hasMessageContaining("resourceType does not match");
    assertThatThrownBy(() -> CODEC.decode(raw("fhir.Patient", "p1", null)))
        .hasMessageContaining("tombstone without");
    assertThatThrownBy(
            () -> CODEC.decode(raw("fhir.Patient", "p1", "{\"resourceType\":\"Patient\"}")))
        .hasMessageContaining("no id");
  }

  @Test
  void hubSettingsSplitClientPassthroughByClient() {
    HubConfig hub =
        HubConfig.from(
            HubConfig.DEFINITION.parse(
                Map.of(
                    "kafka.bootstrap.servers", "127.0.0.1:9092",
                    "kafka.producer.linger.ms", "5",
                    "kafka.consumer.fetch.min.bytes", "1")));
    assertThat(hub.client()).containsEntry("bootstrap.servers", "127.0.0.1:9092");
    assertThat(hub.producer()).containsOnly(Map.entry("linger.ms", "5"));
    assertThat(hub.consumer()).containsOnly(Map.entry("fetch.min.bytes", "1"));
    assertThat(hub.resourceType("fhir.Observation")).isEqualTo("Observation");
    assertThat(ConfigDefinition.allKeyNames(java.util.List.of(HubConfig.DEFINITION)))
        .contains("hub.topic-prefix");
  }
}
