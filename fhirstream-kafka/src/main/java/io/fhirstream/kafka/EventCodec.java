package io.fhirstream.kafka;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.EventOrigin;
import io.fhirstream.api.fhir.FhirJson;
import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.api.fhir.ResourceMeta;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Change events as Kafka records: key = resource id, value = the resource JSON as received (null
 * for a deletion: a tombstone), metadata in CloudEvents binary-mode headers plus the FHIR version
 * id.
 */
public final class EventCodec {
  public static final String SPEC_VERSION = "ce_specversion";
  public static final String ID = "ce_id";
  public static final String SOURCE = "ce_source";
  public static final String TYPE = "ce_type";
  public static final String TIME = "ce_time";
  public static final String SUBJECT = "ce_subject";
  public static final String CONTENT_TYPE = "content-type";
  public static final String FHIR_VERSION_ID = "fhir_version_id";

  public static final String TYPE_UPSERTED = "org.hl7.fhir.resource.upserted";
  public static final String TYPE_DELETED = "org.hl7.fhir.resource.deleted";

  /** The ids FHIR allows; anything else never reaches a store, as a key, a path or a query. */
  private static final java.util.regex.Pattern FHIR_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  private final HubConfig hub;
  private final byte[] source;
  private final JsonLimits limits;

  /**
   * @param fhirBaseUrl the {@code ce_source} of every event
   */
  public EventCodec(HubConfig hub, URI fhirBaseUrl) {
    this(hub, fhirBaseUrl, JsonLimits.DEFAULT);
  }

  /**
   * @param limits bounds on the JSON of records read back from the hub
   */
  public EventCodec(HubConfig hub, URI fhirBaseUrl, JsonLimits limits) {
    this.hub = hub;
    this.source = fhirBaseUrl == null ? null : utf8(fhirBaseUrl.toString());
    this.limits = limits;
  }

  /**
   * A codec that only reads records back (the sink role's): events are checked against {@code
   * limits}; it has no {@code ce_source} to encode with.
   */
  public static EventCodec forDecoding(HubConfig hub, JsonLimits limits) {
    return new EventCodec(hub, null, limits);
  }

  /** The record for an event. */
  public ProducerRecord<String, byte[]> encode(ChangeEvent event) {
    if (source == null) {
      throw new IllegalStateException("a decoding codec has no ce_source to encode events with");
    }
    Headers headers = new RecordHeaders();
    headers.add(SPEC_VERSION, utf8("1.0"));
    headers.add(ID, utf8(event.versionedReference()));
    headers.add(SOURCE, source);
    // FHIR history does not tell a create from an update reliably (a re-create is version 4):
    // "upserted" is what a consumer can act on.
    headers.add(TYPE, utf8(event.deleted() ? TYPE_DELETED : TYPE_UPSERTED));
    headers.add(SUBJECT, utf8(event.resourceType() + "/" + event.id()));
    if (event.lastUpdated() != null) {
      headers.add(TIME, utf8(event.lastUpdated().toString()));
    }
    if (!event.deleted()) {
      headers.add(CONTENT_TYPE, utf8("application/fhir+json"));
    }
    if (event.versionId() != null) {
      headers.add(FHIR_VERSION_ID, utf8(event.versionId()));
    }
    return new ProducerRecord<>(
        hub.topic(event.resourceType()), null, event.id(), event.body(), headers);
  }

  /**
   * The event of a record, checked: valid JSON object, an id equal to the key, the resourceType of
   * the topic.
   *
   * @throws BadEventException with a reason that never quotes the payload
   */
  public ChangeEvent decode(ConsumerRecord<String, byte[]> record) throws BadEventException {
    String type = hub.resourceType(record.topic());
    if (type == null) {
      throw new BadEventException("topic is not a resource topic");
    }
    String key = record.key();
    if (key == null || key.isEmpty()) {
      throw new BadEventException("record has no key (the resource id)");
    }
    if (!FHIR_ID.matcher(key).matches()) {
      throw new BadEventException("key is not a valid FHIR id ([A-Za-z0-9-.]{1,64})");
    }
    EventOrigin origin = new EventOrigin(record.topic(), record.partition(), record.offset());
    if (record.value() == null) {
      String version = header(record.headers(), FHIR_VERSION_ID);
      if (version == null) {
        throw new BadEventException(
            "tombstone without a " + FHIR_VERSION_ID + " header: its version cannot be guarded");
      }
      return ChangeEvent.delete(type, key, version, parseTime(header(record.headers(), TIME)))
          .withOrigin(origin);
    }
    ResourceMeta meta = FhirJson.readMeta(record.value(), limits);
    if (!type.equals(meta.resourceType())) {
      throw new BadEventException("resourceType does not match the topic's type " + type);
    }
    if (meta.id() == null) {
      throw new BadEventException("resource has no id");
    }
    if (!meta.id().equals(key)) {
      throw new BadEventException("resource id does not equal the record key");
    }
    String version =
        meta.versionId() != null ? meta.versionId() : header(record.headers(), FHIR_VERSION_ID);
    Instant lastUpdated =
        meta.lastUpdated() != null ? meta.lastUpdated() : parseTime(header(record.headers(), TIME));
    return ChangeEvent.upsert(type, key, version, lastUpdated, record.value()).withOrigin(origin);
  }

  private static Instant parseTime(String text) throws BadEventException {
    return FhirJson.parseInstant(text);
  }

  static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
