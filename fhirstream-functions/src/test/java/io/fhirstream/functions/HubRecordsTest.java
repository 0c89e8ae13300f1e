package io.fhirstream.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class HubRecordsTest {
  private static final HubConfig HUB =
      HubConfig.from(HubConfig.DEFINITION.parse(Map.of()), Map.of());
  private static final EventCodec DECODER =
      EventCodec.forDecoding(HUB, io.fhirstream.api.fhir.JsonLimits.DEFAULT);
  private static final byte[] PATIENT =
      "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"meta\":{\"versionId\":\"3\",\"lastUpdated\":\"2026-01-02T03:04:05.678Z\"}}"
          .getBytes(StandardCharsets.UTF_8);

  @Test
  void kafkaHeadersDeliveredAsBase64DecodeToTheSameEventTheServiceSinkReads() throws Exception {
    ChangeEvent sent =
        ChangeEvent.upsert(
            "Patient", "p1", "3", Instant.parse("2026-01-02T03:04:05.678Z"), PATIENT);
    HostPayloads batch = new HostPayloads(HUB, 41).add(sent);

    List<ConsumerRecord<String, byte[]>> records = records(batch);

    ConsumerRecord<String, byte[]> record = records.get(0);
    assertThat(record.key()).isEqualTo("p1");
    assertThat(record.offset()).isEqualTo(41);
    assertThat(
            new String(record.headers().lastHeader(EventCodec.ID).value(), StandardCharsets.UTF_8))
        .isEqualTo("Patient/p1/_history/3");
    assertThat(DECODER.decode(record).withOrigin(null)).isEqualTo(sent);
  }

  @Test
  void anEmptyBodyWithVersionHeadersIsATombstone() throws Exception {
    ChangeEvent deleted =
        ChangeEvent.delete("Patient", "p1", "4", Instant.parse("2026-01-02T03:04:06Z"));
    HostPayloads batch = new HostPayloads(HUB, 0).add(deleted);

    ConsumerRecord<String, byte[]> record = records(batch).get(0);

    assertThat(record.value()).isNull();
    assertThat(DECODER.decode(record).withOrigin(null)).isEqualTo(deleted);
  }

  @Test
  void plainTextPropertiesFromAnAmqpProducerAreReadAsText() throws Exception {
    HostPayloads batch =
        new HostPayloads(HUB, 0)
            .add(
                new byte[0],
                Map.of(
                    "ce_specversion", "1.0",
                    "ce_subject", "Patient/abc-1",
                    "fhir_version_id", "123"),
                null);

    ChangeEvent event = DECODER.decode(records(batch).get(0));

    assertThat(event.id()).isEqualTo("abc-1");
    assertThat(event.versionId()).isEqualTo("123");
    assertThat(event.deleted()).isTrue();
  }

  @Test
  void withoutASubjectThePartitionKeyIsTheKey() {
    HostPayloads batch = new HostPayloads(HUB, 0).add(PATIENT, Map.of(), "p1");

    assertThat(records(batch).get(0).key()).isEqualTo("p1");
  }

  @Test
  void aTombstoneWithoutItsVersionIsABadEvent() {
    HostPayloads batch =
        new HostPayloads(HUB, 0).add(new byte[0], Map.of("ce_subject", "Patient/p1"), "p1");

    assertThatThrownBy(() -> DECODER.decode(records(batch).get(0)))
        .isInstanceOf(BadEventException.class)
        .hasMessageContaining("fhir_version_id");
  }

  @Test
  void metadataArraysOfAnotherLengthThanTheBatchAreRefused() {
    HostPayloads batch = new HostPayloads(HUB, 0).add(PATIENT, Map.of(), "p1");
    batch.add(PATIENT, Map.of(), "p1");
    batch.system.remove(1);

    assertThatThrownBy(() -> records(batch))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SystemPropertiesArray has 1 entries for 2 events");
  }

  private static List<ConsumerRecord<String, byte[]>> records(HostPayloads batch) {
    return HubRecords.of(
        "fhir.Patient", batch.bodies, batch.propertiesArray(), batch.systemPropertiesArray(), null);
  }
}
