package io.fhirstream.source.events;

import java.time.Instant;

/**
 * One Azure Health Data Services FHIR event: which resource version was created, updated or
 * deleted, and on which FHIR service. Ids only: the resource itself is read from the server.
 *
 * @param kind created, updated or deleted
 * @param account the FHIR service's host, {@code data.resourceFhirAccount}, e.g. {@code
 *     ws-fhir.fhir.azurehealthcareapis.com}
 * @param resourceType {@code data.resourceType}
 * @param id {@code data.resourceFhirId}
 * @param versionId {@code data.resourceVersionId}, as text
 * @param time when the event happened ({@code eventTime} or {@code time}), or null
 */
public record FhirResourceEvent(
    Kind kind, String account, String resourceType, String id, String versionId, Instant time) {

  /** The three event types Health Data Services publishes for FHIR resources. */
  public enum Kind {
    CREATED("Microsoft.HealthcareApis.FhirResourceCreated"),
    UPDATED("Microsoft.HealthcareApis.FhirResourceUpdated"),
    DELETED("Microsoft.HealthcareApis.FhirResourceDeleted");

    private final String eventType;

    Kind(String eventType) {
      this.eventType = eventType;
    }

    /** The Event Grid {@code eventType} / CloudEvents {@code type}. */
    public String eventType() {
      return eventType;
    }

    static Kind of(String eventType) {
      for (Kind kind : values()) {
        if (kind.eventType.equals(eventType)) {
          return kind;
        }
      }
      return null;
    }
  }

  /** {@code Type/id/_history/version}: log-safe (ids are not patient data). */
  public String reference() {
    return resourceType + "/" + id + "/_history/" + versionId;
  }
}
