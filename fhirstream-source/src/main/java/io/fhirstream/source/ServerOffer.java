package io.fhirstream.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * The few things of a CapabilityStatement that capture depends on: the FHIR version, whether
 * system-level history is offered, and each resource type's interactions (their codes, e.g. {@code
 * history-type}, {@code search-type}).
 *
 * <p>Read from the JSON with Jackson, not with HAPI's parser: building HAPI's R4 context and
 * parsing a statement of 146 types took most of the source's start-up, for a handful of fields.
 *
 * @param types each type's interaction codes, in the statement's order
 */
record ServerOffer(String fhirVersion, boolean systemHistory, Map<String, Set<String>> types) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @throws IllegalArgumentException when the bytes are not a CapabilityStatement in JSON
   */
  static ServerOffer parse(byte[] json) {
    JsonNode statement;
    try {
      statement = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
    if (statement == null
        || !"CapabilityStatement".equals(statement.path("resourceType").asText())) {
      throw new IllegalArgumentException("not a CapabilityStatement");
    }
    boolean systemHistory = false;
    Map<String, Set<String>> types = new LinkedHashMap<>();
    for (JsonNode rest : statement.path("rest")) {
      for (JsonNode interaction : rest.path("interaction")) {
        systemHistory |= "history-system".equals(interaction.path("code").asText());
      }
      for (JsonNode resource : rest.path("resource")) {
        Set<String> codes =
            types.computeIfAbsent(resource.path("type").asText(), t -> new LinkedHashSet<>());
        for (JsonNode interaction : resource.path("interaction")) {
          codes.add(interaction.path("code").asText());
        }
      }
    }
    types.remove("");
    return new ServerOffer(statement.path("fhirVersion").asText(""), systemHistory, types);
  }

  /** The same from HAPI's model of a statement. */
  static ServerOffer of(CapabilityStatement statement) {
    boolean systemHistory =
        statement.getRest().stream()
            .flatMap(rest -> rest.getInteraction().stream())
            .anyMatch(
                i -> i.getCode() == CapabilityStatement.SystemRestfulInteraction.HISTORYSYSTEM);
    Map<String, Set<String>> types = new LinkedHashMap<>();
    statement.getRest().stream()
        .flatMap(rest -> rest.getResource().stream())
        .forEach(
            resource -> {
              Set<String> codes =
                  types.computeIfAbsent(resource.getType(), t -> new LinkedHashSet<>());
              resource.getInteraction().stream()
                  .filter(i -> i.getCode() != null)
                  .forEach(i -> codes.add(i.getCode().toCode()));
            });
    String version = statement.getFhirVersion() == null ? "" : statement.getFhirVersion().toCode();
    return new ServerOffer(version, systemHistory, types);
  }

  /** Whether the server lists the type. */
  boolean lists(String type) {
    return types.containsKey(type);
  }

  /** Whether the type is listed with this interaction (e.g. {@code history-type}). */
  boolean offers(String type, String interaction) {
    return types.getOrDefault(type, Set.of()).contains(interaction);
  }

  /** Whether the type is listed with no interaction at all. */
  boolean listsNoInteraction(String type) {
    return types.getOrDefault(type, Set.of()).isEmpty();
  }
}
