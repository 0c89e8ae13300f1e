package io.fhirstream.analytics.view;

import org.hl7.fhir.r4.model.Resource;

/**
 * A FHIR R4 resource parsed once, to be read by every view over its type. Made by {@link
 * ViewRunner#parse}; the same instance may be passed to any number of {@link CompiledView#rows}
 * calls, none of which changes it.
 *
 * <p>{@link #toString()} names the resource type and id only (ids are not patient data).
 */
public final class ParsedResource {
  private final Resource resource;
  private final boolean withoutNarrative;

  ParsedResource(Resource resource, boolean withoutNarrative) {
    this.resource = resource;
    this.withoutNarrative = withoutNarrative;
  }

  /** Whether the narrative ({@code text}) was left out when parsing: no view read it. */
  boolean withoutNarrative() {
    return withoutNarrative;
  }

  /** The resource type, e.g. {@code Observation}. */
  public String resourceType() {
    return resource.fhirType();
  }

  /** The logical id, or {@code null} when the JSON has none. */
  public String id() {
    return resource.getIdElement().getIdPart();
  }

  /**
   * The HAPI model of the resource; do not change it. Its narrative ({@code text}) is missing when
   * none of the runner's views reads it.
   */
  public Resource resource() {
    return resource;
  }

  @Override
  public String toString() {
    return "ParsedResource[" + resourceType() + "/" + id() + "]";
  }
}
