package io.fhirstream.bench.jmh;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.fhirstream.api.fhir.FhirJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Realistic inputs: a hand-written R4 Patient of about 1.5 KB (synthetic data) and history Bundle
 * pages of such Patients, as a FHIR server sends them (compact JSON).
 */
final class Fixtures {
  static final String TYPE = "Patient";
  static final String BASE_URL = "https://fhir.example.org/fhir";

  /** FHIR instants as HAPI renders them, e.g. {@code 2026-11-20T10:00:03.123+00:00}. */
  private static final DateTimeFormatter FHIR_INSTANT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx").withZone(ZoneOffset.UTC);

  private static final Instant EPOCH = Instant.parse("2026-11-20T10:00:00.000Z");
  private static final String PATIENT = compact(resource("patient.json"));

  private Fixtures() {}

  /** The Patient with the given id and meta, compact, about 1.5 KB. */
  static byte[] patient(String id, String versionId, Instant lastUpdated) {
    return patientJson(id, versionId, lastUpdated).getBytes(StandardCharsets.UTF_8);
  }

  /** A distinct, millisecond-precision time for the i-th change. */
  static Instant lastUpdated(int i) {
    return EPOCH.plusMillis(1_537L * i);
  }

  /**
   * A history page of {@code entries} Patient entries, every {@code deleteEvery}-th a deletion in
   * HAPI's shape (no resource; id and version in {@code request.url}).
   */
  static byte[] historyPage(int entries, int deleteEvery) {
    StringBuilder page = new StringBuilder(entries * 1_800);
    page.append("{\"resourceType\":\"Bundle\",\"id\":\"9f3c2b1e-hist\",")
        .append("\"meta\":{\"lastUpdated\":\"")
        .append(instant(lastUpdated(entries)))
        .append("\"},\"type\":\"history\",\"link\":[")
        .append("{\"relation\":\"self\",\"url\":\"")
        .append(BASE_URL)
        .append("/Patient/_history?_count=")
        .append(entries)
        .append("\"},{\"relation\":\"next\",\"url\":\"")
        .append(BASE_URL)
        .append("?_getpages=9f3c2b1e&_getpagesoffset=")
        .append(entries)
        .append("&_count=")
        .append(entries)
        .append("&_bundletype=history\"}],\"entry\":[");
    for (int i = 0; i < entries; i++) {
      String id = Integer.toString(10_000 + i);
      String version = Integer.toString(1 + i % 5);
      String time = instant(lastUpdated(entries - i));
      page.append(i == 0 ? "" : ",")
          .append("{\"fullUrl\":\"")
          .append(BASE_URL)
          .append("/Patient/")
          .append(id)
          .append("\",");
      if (deleteEvery > 0 && i % deleteEvery == deleteEvery - 1) {
        page.append("\"request\":{\"method\":\"DELETE\",\"url\":\"Patient/")
            .append(id)
            .append("/_history/")
            .append(version)
            .append("\"},\"response\":{\"status\":\"200 OK\",");
      } else {
        boolean created = "1".equals(version);
        page.append("\"resource\":")
            .append(patientJson(id, version, lastUpdated(entries - i)))
            .append(",\"request\":{\"method\":\"")
            .append(created ? "POST" : "PUT")
            .append("\",\"url\":\"Patient")
            .append(created ? "" : "/" + id)
            .append("\"},\"response\":{\"status\":\"")
            .append(created ? "201 Created" : "200 OK")
            .append("\",");
      }
      page.append("\"etag\":\"W/\\\"")
          .append(version)
          .append("\\\"\",\"lastModified\":\"")
          .append(time)
          .append("\"}}");
    }
    return page.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String patientJson(String id, String versionId, Instant lastUpdated) {
    return PATIENT
        .replace("${id}", id)
        .replace("${versionId}", versionId)
        .replace("${lastUpdated}", instant(lastUpdated));
  }

  private static String instant(Instant time) {
    return FHIR_INSTANT.format(time);
  }

  private static String resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the benchmark jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture is kept readable in the jar; servers send it without whitespace. */
  private static String compact(String json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length());
    try (JsonParser parser = FhirJson.factory().createParser(json);
        JsonGenerator generator = FhirJson.factory().createGenerator(out)) {
      parser.nextToken();
      generator.copyCurrentStructure(parser);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
