package io.fhirstream.source.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.api.BadEventException;
import io.fhirstream.api.fhir.FhirJson;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads Azure Health Data Services FHIR events from an event hub message, in either schema an Event
 * Grid subscription delivers: the Event Grid schema ({@code eventType}, {@code eventTime}, {@code
 * data}; one event or an array) or the CloudEvents 1.0 schema in structured mode ({@code type},
 * {@code time}, {@code data}). Events of other types (e.g. DICOM) are left out.
 */
public final class AhdsEvents {
  private static final ObjectMapper JSON = new ObjectMapper(FhirJson.factory());
  private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  private AhdsEvents() {}

  /**
   * The FHIR resource events of one message.
   *
   * @throws BadEventException when the message is not such events; the reason never quotes it
   */
  public static List<FhirResourceEvent> parse(byte[] message) throws BadEventException {
    JsonNode root;
    try {
      root = JSON.readTree(message);
    } catch (IOException e) {
      throw new BadEventException("not JSON");
    }
    if (root == null || !(root.isObject() || root.isArray())) {
      throw new BadEventException("neither an event nor an array of events");
    }
    List<FhirResourceEvent> events = new ArrayList<>();
    for (JsonNode event : root.isArray() ? root : List.of(root)) {
      FhirResourceEvent parsed = event(event);
      if (parsed != null) {
        events.add(parsed);
      }
    }
    return events;
  }

  private static FhirResourceEvent event(JsonNode event) throws BadEventException {
    boolean cloudEvent = event.has("specversion");
    String type = text(event, cloudEvent ? "type" : "eventType");
    if (type == null) {
      throw new BadEventException(
          "an event without " + (cloudEvent ? "type" : "eventType") + " (nor the other schema's)");
    }
    FhirResourceEvent.Kind kind = FhirResourceEvent.Kind.of(type);
    if (kind == null) {
      return null; // another service's event on the same hub
    }
    JsonNode data = event.path("data");
    String resourceType = text(data, "resourceType");
    String id = text(data, "resourceFhirId");
    String version = text(data, "resourceVersionId");
    String account = text(data, "resourceFhirAccount");
    if (resourceType == null || !TYPE.matcher(resourceType).matches()) {
      throw new BadEventException(type + " without a valid data.resourceType");
    }
    if (id == null || !ID.matcher(id).matches()) {
      throw new BadEventException(type + " without a valid data.resourceFhirId");
    }
    if (version == null || !ID.matcher(version).matches()) {
      throw new BadEventException(type + " without a valid data.resourceVersionId");
    }
    if (account == null) {
      throw new BadEventException(type + " without data.resourceFhirAccount");
    }
    return new FhirResourceEvent(
        kind,
        account,
        resourceType,
        id,
        version,
        time(text(event, cloudEvent ? "time" : "eventTime")));
  }

  private static Instant time(String text) {
    try {
      return text == null ? null : FhirJson.parseInstant(text);
    } catch (BadEventException e) {
      return null; // the time is for the tombstone's record only; the version guards
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
  }
}
