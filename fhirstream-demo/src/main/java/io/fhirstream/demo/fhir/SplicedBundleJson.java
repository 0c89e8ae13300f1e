package io.fhirstream.demo.fhir;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleEntryRequestComponent;
import org.hl7.fhir.r4.model.Bundle.BundleEntryResponseComponent;
import org.hl7.fhir.r4.model.Bundle.BundleEntrySearchComponent;
import org.hl7.fhir.r4.model.Bundle.BundleLinkComponent;
import org.hl7.fhir.r4.model.PrimitiveType;

/**
 * Writes a history or search Bundle as FHIR JSON, with each entry's stored version spliced in
 * verbatim as its {@code resource}.
 *
 * <p>Everything else comes from the HAPI Bundle, which HAPI built around {@link
 * JsonCodec#placeholder placeholders}: exactly the elements its R4 bundle factory and {@link
 * HistoryBundleInterceptor} set (they set no others), in the order of HAPI's JSON encoder and, like
 * it, leaving out empty ones. SplicedBundleJsonTest and SplicedBundlesIT hold it to HAPI's output.
 */
final class SplicedBundleJson {
  private SplicedBundleJson() {}

  /**
   * True if every entry's resource is absent (a deletion) or a placeholder, so that {@link #write}
   * renders the bundle completely.
   */
  static boolean canWrite(Bundle bundle) {
    for (BundleEntryComponent entry : bundle.getEntry()) {
      if (entry.getResource() != null && JsonCodec.placeholderFor(entry.getResource()) == null) {
        return false;
      }
    }
    return true;
  }

  static void write(Bundle bundle, JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("resourceType", "Bundle");
    if (bundle.getIdElement().hasIdPart()) {
      json.writeStringField("id", bundle.getIdElement().getIdPart());
    }
    if (bundle.getMeta().hasLastUpdated()) {
      json.writeObjectFieldStart("meta");
      string(json, "lastUpdated", bundle.getMeta().getLastUpdatedElement());
      json.writeEndObject();
    }
    string(json, "type", bundle.getTypeElement());
    if (bundle.hasTotal()) {
      json.writeNumberField("total", bundle.getTotal());
    }
    if (bundle.hasLink()) {
      json.writeArrayFieldStart("link");
      for (BundleLinkComponent link : bundle.getLink()) {
        json.writeStartObject();
        string(json, "relation", link.getRelationElement());
        string(json, "url", link.getUrlElement());
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    if (bundle.hasEntry()) {
      json.writeArrayFieldStart("entry");
      for (BundleEntryComponent entry : bundle.getEntry()) {
        writeEntry(entry, json);
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  private static void writeEntry(BundleEntryComponent entry, JsonGenerator json)
      throws IOException {
    json.writeStartObject();
    string(json, "fullUrl", entry.getFullUrlElement());
    if (entry.getResource() != null) {
      ResourceVersion version = JsonCodec.placeholderFor(entry.getResource());
      json.writeFieldName("resource");
      json.writeRawValue(new Utf8Json(version.json().orElseThrow()));
    }
    if (entry.hasSearch()) {
      BundleEntrySearchComponent search = entry.getSearch();
      json.writeObjectFieldStart("search");
      string(json, "mode", search.getModeElement());
      json.writeEndObject();
    }
    if (entry.hasRequest()) {
      BundleEntryRequestComponent request = entry.getRequest();
      json.writeObjectFieldStart("request");
      string(json, "method", request.getMethodElement());
      string(json, "url", request.getUrlElement());
      json.writeEndObject();
    }
    if (entry.hasResponse()) {
      BundleEntryResponseComponent response = entry.getResponse();
      json.writeObjectFieldStart("response");
      string(json, "status", response.getStatusElement());
      string(json, "location", response.getLocationElement());
      string(json, "etag", response.getEtagElement());
      string(json, "lastModified", response.getLastModifiedElement());
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  /**
   * Stored JSON with its UTF-8 bytes made up front, which Jackson then copies as they are: {@code
   * writeRawValue(String)} encodes char by char, four times slower, and was a fifth of the server's
   * time. The bytes are what {@link SerializedString} would compute itself.
   */
  private static final class Utf8Json extends SerializedString {
    Utf8Json(String json) {
      super(json);
      _unquotedUTF8Ref = json.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Writes the primitive as HAPI's encoder does (its string form), or nothing if it is empty. */
  private static void string(JsonGenerator json, String name, PrimitiveType<?> value)
      throws IOException {
    if (value != null && value.hasValue()) {
      json.writeStringField(name, value.getValueAsString());
    }
  }
}
