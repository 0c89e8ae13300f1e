package io.fhirstream.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Real FHIR JSON for tests: the fixture files under {@code src/test/resources/fhir} and Patient
 * resources made from a trimmed Synthea Patient (about 1.5 KB each), with the id, version and
 * last-updated a FHIR server would set.
 */
public final class FhirFixtures {
  /** A fixed instant tests count from, so bodies are reproducible. */
  public static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");

  private static final String TEMPLATE = text("fhir/patient-template.json");
  private static final String[] FAMILIES = {
    "Abshire", "Koepp", "Ritchie", "Lucio", "Kreiger", "Klocko", "Botsford", "Treutel", "Thiel"
  };

  private FhirFixtures() {}

  /** The bytes of a fixture file, e.g. {@code fhir/patient-synthea.json}. */
  public static byte[] bytes(String resource) {
    try (InputStream in = FhirFixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture file as UTF-8 text. */
  public static String text(String resource) {
    return new String(bytes(resource), StandardCharsets.UTF_8);
  }

  /**
   * Patient JSON (about 1.5 KB) with this id, {@code meta.versionId} and {@code meta.lastUpdated}.
   */
  public static byte[] patient(String id, String versionId, Instant lastUpdated) {
    String family =
        FAMILIES[Math.floorMod(id.hashCode() + String.valueOf(versionId).hashCode(), 9)];
    return TEMPLATE
        .replace("${id}", id)
        .replace("${versionId}", String.valueOf(versionId))
        .replace("${lastUpdated}", String.valueOf(lastUpdated))
        .replace("${family}", family)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Patient JSON padded with narrative text to at least {@code minBytes}. */
  public static byte[] patientOfSize(
      String id, String versionId, Instant lastUpdated, int minBytes) {
    String base = new String(patient(id, versionId, lastUpdated), StandardCharsets.UTF_8);
    int padding = Math.max(0, minBytes - base.length() - 80);
    String text =
        ",\"text\":{\"status\":\"generated\",\"div\":\"<div"
            + " xmlns=\\\"http://www.w3.org/1999/xhtml\\\">"
            + "x".repeat(padding)
            + "</div>\"}}";
    return (base.substring(0, base.length() - 1) + text).getBytes(StandardCharsets.UTF_8);
  }

  /** A version of a Patient: {@code lastUpdated} is {@link #T0} plus {@code version} minutes. */
  public static ChangeEvent patientVersion(String id, int version) {
    Instant lastUpdated = T0.plusSeconds(60L * version);
    return ChangeEvent.upsert(
        "Patient",
        id,
        Integer.toString(version),
        lastUpdated,
        patient(id, "" + version, lastUpdated));
  }

  /** The deletion of a Patient as version {@code version}, timed like {@link #patientVersion}. */
  public static ChangeEvent patientDeletion(String id, int version) {
    return ChangeEvent.delete(
        "Patient", id, Integer.toString(version), T0.plusSeconds(60L * version));
  }

  /** An upsert of any resource type, with a small body of that type. */
  public static ChangeEvent resource(
      String type, String id, String versionId, Instant lastUpdated) {
    String json =
        "{\"resourceType\":\""
            + type
            + "\",\"id\":\""
            + id
            + "\",\"meta\":{\"versionId\":\""
            + versionId
            + "\",\"lastUpdated\":\""
            + lastUpdated
            + "\"},\"status\":\"final\"}";
    return ChangeEvent.upsert(
        type, id, versionId, lastUpdated, json.getBytes(StandardCharsets.UTF_8));
  }
}
