package io.fhirstream.source.capture;

import io.fhirstream.api.Backoff;
import io.fhirstream.source.http.ExpiredPageException;
import io.fhirstream.source.http.FhirHttpClient;
import io.fhirstream.source.http.FhirResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A FHIR search over Patients held in memory, answering {@code _lastUpdated} range queries sorted
 * oldest first, as a {@link RangeReader.Requests}. Its {@code next} links either page over the
 * result list of the first request ({@code _getpages}, as HAPI's do) or re-run the query at an
 * offset ({@code _offset}).
 */
final class FakeSearchServer implements RangeReader.Requests {
  static final URI BASE = URI.create("http://fhir.test/fhir");

  private final boolean keepsResultLists;
  private final Map<String, Instant> current = new LinkedHashMap<>(); // id → lastUpdated
  private final Map<String, Integer> versions = new HashMap<>();
  private final Map<String, List<String>> kept = new HashMap<>();
  int requests;
  int entriesServed;
  boolean expireLinks;

  FakeSearchServer(boolean keepsResultLists) {
    this.keepsResultLists = keepsResultLists;
  }

  /** Writes (creates or updates) a Patient. */
  void write(String id, Instant lastUpdated) {
    current.put(id, lastUpdated);
    versions.merge(id, 1, Integer::sum);
  }

  /** {@code count} Patients {@code p<first>…} sharing one timestamp, as one transaction does. */
  void transaction(int first, int count, Instant at) {
    for (int i = first; i < first + count; i++) {
      write("p" + i, at);
    }
  }

  int size() {
    return current.size();
  }

  static CrawlTarget target(int pageSize) {
    FhirHttpClient http =
        new FhirHttpClient(BASE, Duration.ofSeconds(1), Duration.ofSeconds(1), Backoff.DEFAULT, 1);
    return new CrawlTarget(http, "Patient", pageSize, Duration.ZERO, Clock.systemUTC());
  }

  @Override
  public FhirResponse get(URI uri, boolean serverLink) {
    requests++;
    Map<String, List<String>> params = params(uri);
    int count = Integer.parseInt(params.get("_count").get(0));
    List<String> ids;
    int offset;
    if (params.containsKey("_getpages")) {
      if (expireLinks) {
        throw new ExpiredPageException("paging link expired (HTTP 410)");
      }
      ids = kept.get(params.get("_getpages").get(0));
      offset = Integer.parseInt(params.get("_getpagesoffset").get(0));
    } else {
      ids = query(params.getOrDefault("_lastUpdated", List.of()));
      offset = params.containsKey("_offset") ? Integer.parseInt(params.get("_offset").get(0)) : 0;
    }
    List<String> page =
        ids.subList(Math.min(offset, ids.size()), Math.min(offset + count, ids.size()));
    String next = null;
    if (offset + count < ids.size()) {
      if (keepsResultLists) {
        String key = params.containsKey("_getpages") ? params.get("_getpages").get(0) : keep(ids);
        next =
            BASE
                + "?_getpages="
                + key
                + "&_getpagesoffset="
                + (offset + count)
                + "&_count="
                + count;
      } else {
        next = uri.toString().replaceAll("&_offset=\\d+", "") + "&_offset=" + (offset + count);
      }
    }
    return new FhirResponse(bundle(page, next), null);
  }

  private String keep(List<String> ids) {
    String key = UUID.randomUUID().toString();
    kept.put(key, List.copyOf(ids));
    return key;
  }

  private List<String> query(List<String> bounds) {
    Instant from = Instant.MIN;
    Instant before = Instant.MAX;
    for (String bound : bounds) {
      Instant at = Instant.parse(bound.substring(2));
      if (bound.startsWith("ge")) {
        from = at;
      } else {
        before = at;
      }
    }
    List<String> ids = new ArrayList<>();
    for (Map.Entry<String, Instant> e : current.entrySet()) {
      if (!e.getValue().isBefore(from) && e.getValue().isBefore(before)) {
        ids.add(e.getKey());
      }
    }
    ids.sort(Comparator.comparing(current::get)); // stable: insertion order within a timestamp
    return ids;
  }

  private byte[] bundle(List<String> ids, String next) {
    StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"searchset\"");
    if (next != null) {
      json.append(",\"link\":[{\"relation\":\"next\",\"url\":\"").append(next).append("\"}]");
    }
    json.append(",\"entry\":[");
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      entriesServed++;
      json.append(i == 0 ? "" : ",")
          .append("{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"")
          .append(id)
          .append("\",\"meta\":{\"versionId\":\"")
          .append(versions.get(id))
          .append("\",\"lastUpdated\":\"")
          .append(current.get(id))
          .append("\"}}}");
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> params(URI uri) {
    Map<String, List<String>> params = new HashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      params
          .computeIfAbsent(pair.substring(0, eq), k -> new ArrayList<>())
          .add(pair.substring(eq + 1));
    }
    return params;
  }
}
