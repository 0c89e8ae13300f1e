package io.fhirstream.jpaserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The hand-written fixture bundles, and larger loads made of fresh copies of them. */
final class SyntheticBundles {
  /** Resources per fixture patient: Patient, 2 Encounters, 3 Observations, 1 Condition. */
  static final int RESOURCES_PER_PATIENT = 7;

  private SyntheticBundles() {}

  static List<Path> fixtureFiles() {
    List<Path> files = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      files.add(Path.of("src/test/resources/bundles/patient-" + i + ".json"));
    }
    return files;
  }

  /**
   * {@code bundles} transactions of {@code patientsPerBundle} patients each, every patient a copy
   * of a fixture patient with new urn:uuid fullUrls (references follow), so each loads as new
   * resources.
   */
  static List<byte[]> copies(int bundles, int patientsPerBundle) {
    List<String> templates = new ArrayList<>();
    for (Path file : fixtureFiles()) {
      templates.add(read(file).path("entry").toString());
    }
    List<byte[]> out = new ArrayList<>();
    for (int b = 0; b < bundles; b++) {
      ObjectNode bundle = FhirReader.JSON.createObjectNode();
      bundle.put("resourceType", "Bundle");
      bundle.put("type", "transaction");
      ArrayNode entries = bundle.putArray("entry");
      for (int p = 0; p < patientsPerBundle; p++) {
        String template = templates.get((b * patientsPerBundle + p) % templates.size());
        entries.addAll((ArrayNode) parse(withFreshUuids(template)));
      }
      out.add(bundle.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String withFreshUuids(String entries) {
    String out = entries;
    for (JsonNode entry : parse(entries)) {
      String fullUrl = entry.path("fullUrl").asText();
      out = out.replace(fullUrl, "urn:uuid:" + UUID.randomUUID());
    }
    return out;
  }

  private static JsonNode read(Path file) {
    try {
      return FhirReader.JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(String json) {
    try {
      return FhirReader.JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
