package io.fhirstream.demo.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.util.Date;
import java.util.TimeZone;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Turns stored versions into JSON and back.
 *
 * <p>Versions are kept as compact JSON rather than as HAPI object trees: a Patient's object tree is
 * several times the size of its JSON, and the server must hold 100,000+ versions in a 1 GB heap.
 * Parsers are created per call because HAPI's parsers are not thread-safe (the context is).
 */
final class JsonCodec {
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
  private static final String PLACEHOLDER_FOR = JsonCodec.class.getName() + ".placeholderFor";

  private final FhirContext context;

  JsonCodec(FhirContext context) {
    this.context = context;
  }

  FhirContext context() {
    return context;
  }

  /**
   * Sets the id and the version's {@code meta} on the resource, then encodes it. {@code
   * lastUpdated} is written in UTC with milliseconds so that the JSON does not depend on the JVM's
   * time zone.
   */
  String stampAndEncode(Resource resource, String id, long versionId, long lastUpdatedMillis) {
    String type = resource.fhirType();
    resource.setId(new IdType(type, id, Long.toString(versionId)));
    resource.getMeta().setVersionId(Long.toString(versionId));
    resource.getMeta().setLastUpdatedElement(lastUpdated(lastUpdatedMillis));
    return context.newJsonParser().encodeResourceToString(resource);
  }

  /** Parses a stored version into a fresh object whose id carries the type and the version. */
  Resource decode(ResourceVersion version) {
    String json =
        version.json().orElseThrow(() -> new IllegalArgumentException(version + " has no body"));
    Resource resource = (Resource) context.newJsonParser().parseResource(json);
    resource.setId(idOf(version));
    return resource;
  }

  /**
   * An empty resource of the version's type carrying only its id and meta: enough for HAPI to build
   * a bundle entry around it, at a fraction of the cost of {@link #decode}. It remembers its
   * version (see {@link #placeholderFor}), so the body can be spliced or decoded in its place
   * later.
   */
  Resource placeholder(ResourceVersion version) {
    IBaseResource blank = context.getResourceDefinition(version.resourceType()).newInstance();
    Resource resource = (Resource) blank;
    resource.setId(idOf(version));
    resource.getMeta().setVersionId(Long.toString(version.versionId()));
    resource.getMeta().setLastUpdatedElement(lastUpdated(version.lastUpdatedMillis()));
    resource.setUserData(PLACEHOLDER_FOR, version);
    return resource;
  }

  /** The version a {@link #placeholder} stands for; null for any other resource and for null. */
  static ResourceVersion placeholderFor(IBaseResource resource) {
    return resource instanceof Resource r ? (ResourceVersion) r.getUserData(PLACEHOLDER_FOR) : null;
  }

  static InstantType lastUpdated(long millis) {
    return new InstantType(new Date(millis), TemporalPrecisionEnum.MILLI, UTC);
  }

  private static IdType idOf(ResourceVersion version) {
    return new IdType(version.resourceType(), version.id(), Long.toString(version.versionId()));
  }
}
