package io.fhirstream.demo.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.fhirstream.demo.patients.SyntheticPatients;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synthetic patients seeded through the store, then the whole type history (and a {@code
 * _lastUpdated} search) read over HTTP with {@code _count=1000}, the way change capture reads it.
 * Logs the rates (counts and timings only, no patient data); asserts only what was read, never how
 * fast.
 *
 * <p>10,000 patients by default, so the suite stays short on a 2-core machine; run the benchmark's
 * scale with {@code -Ddemo.throughput.patients=100000}. Other processes on the machine make the
 * figures noisy: compare runs, not single numbers.
 */
class DemoFhirServerThroughputIT {
  private static final Logger log = LoggerFactory.getLogger(DemoFhirServerThroughputIT.class);
  private static final int PATIENTS = Integer.getInteger("demo.throughput.patients", 10_000);
  private static final Pattern NEXT = Pattern.compile("\"relation\":\"next\",\"url\":\"([^\"]+)\"");
  private static final byte[] FULL_URL = "\"fullUrl\":".getBytes(StandardCharsets.UTF_8);

  private static DemoFhirServer server;
  private static String firstLastUpdated;

  @BeforeAll
  static void seedAndStart() {
    server = DemoFhirServer.builder().resourceTypes("Patient").build();
    SyntheticPatients generator = new SyntheticPatients(2024);
    long storeNanos = 0;
    for (int i = 0; i < PATIENTS; i++) {
      Patient patient = generator.next();
      long start = System.nanoTime();
      ResourceVersion version = server.store().create(patient);
      storeNanos += System.nanoTime() - start; // the store's time only, not the generator's
      if (i == 0) {
        firstLastUpdated = version.lastUpdated().toString();
      }
    }
    assertThat(server.store().countVersions("Patient")).isEqualTo(PATIENTS);
    log.info(
        "Seeded {} patients via the store in {} s of store time ({} writes/s)",
        PATIENTS,
        String.format("%.1f", storeNanos / 1e9),
        Math.round(PATIENTS / (storeNanos / 1e9)));
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void servesTheFullHistoryOfManyVersionsPageByPage() {
    IGenericClient client = FhirContext.forR4Cached().newRestfulGenericClient(server.baseUrl());
    long readStart = System.nanoTime();
    Bundle page =
        client.history().onType(Patient.class).returnBundle(Bundle.class).count(1000).execute();
    BitSet seen = new BitSet(PATIENTS + 1);
    long previousMillis = Long.MAX_VALUE;
    int entries = 0;
    int pages = 0;
    while (true) {
      pages++;
      assertThat(page.getEntry()).hasSizeLessThanOrEqualTo(1000);
      for (BundleEntryComponent entry : page.getEntry()) {
        int id = Integer.parseInt(entry.getResource().getIdElement().getIdPart());
        assertThat(seen.get(id)).as("Patient/%d seen twice", id).isFalse();
        seen.set(id);
        long millis = entry.getResource().getMeta().getLastUpdated().getTime();
        assertThat(millis).isLessThanOrEqualTo(previousMillis);
        previousMillis = millis;
        entries++;
      }
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        break;
      }
      page = client.loadPage().next(page).execute();
    }
    double readSeconds = (System.nanoTime() - readStart) / 1e9;

    assertThat(entries).isEqualTo(PATIENTS);
    assertThat(seen.cardinality()).isEqualTo(PATIENTS);
    assertThat(pages).isEqualTo((PATIENTS + 999) / 1000);
    log.info(
        "HAPI generic client (parses every page): read {} history entries in {} pages in {} s"
            + " ({} entries/s)",
        entries,
        pages,
        String.format("%.1f", readSeconds),
        Math.round(entries / readSeconds));
  }

  /**
   * What the server alone can serve: pages read as bytes with the JDK client, nothing parsed but
   * the {@code next} link. Each crawl runs twice; the second is the warm figure. Besides the wall
   * clock rate (which other load on the machine drags down) it logs entries per CPU-second of
   * Jetty's threads, i.e. of the server alone.
   */
  @Test
  void servesRawHistoryAndSearchPages() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String history = server.baseUrl() + "/Patient/_history?_count=1000";
    String search =
        server.baseUrl()
            + "/Patient?_sort=_lastUpdated&_count=1000&_lastUpdated=ge"
            + firstLastUpdated;
    for (int round = 1; round <= 2; round++) {
      crawlRaw(http, "history", history, round);
      crawlRaw(http, "search", search, round);
    }
  }

  private static void crawlRaw(HttpClient http, String what, String first, int round)
      throws Exception {
    long start = System.nanoTime();
    long serverCpuStart = serverCpuNanos();
    long bytes = 0;
    int entries = 0;
    int pages = 0;
    String url = first;
    while (url != null) {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).as("status of %s page %d", what, pages + 1).isEqualTo(200);
      byte[] body = response.body();
      bytes += body.length;
      entries += count(body, FULL_URL);
      pages++;
      url = nextLink(body);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double serverCpuSeconds = (serverCpuNanos() - serverCpuStart) / 1e9;

    assertThat(entries).isEqualTo(PATIENTS);
    assertThat(pages).isEqualTo((PATIENTS + 999) / 1000);
    log.info(
        "Raw {} (round {}): {} entries, {} pages, {} MB in {} s ({} entries/s); server threads"
            + " used {} s of CPU ({} entries per CPU-second)",
        what,
        round,
        entries,
        pages,
        String.format("%.1f", bytes / 1e6),
        String.format("%.2f", seconds),
        Math.round(entries / seconds),
        String.format("%.2f", serverCpuSeconds),
        Math.round(entries / serverCpuSeconds));
  }

  /** CPU time of Jetty's pool threads ("qtp..."), which serve every request. */
  private static long serverCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (thread != null && thread.getThreadName().startsWith("qtp")) {
        total += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
      }
    }
    return total;
  }

  /** The {@code next} link, which both HAPI and the spliced pages write before the entries. */
  private static String nextLink(byte[] page) {
    int entry = indexOf(page, "\"entry\":".getBytes(StandardCharsets.UTF_8));
    String head = new String(page, 0, entry < 0 ? page.length : entry, StandardCharsets.UTF_8);
    Matcher next = NEXT.matcher(head);
    return next.find() ? next.group(1) : null;
  }

  private static int count(byte[] page, byte[] needle) {
    int n = 0;
    for (int at = indexOf(page, needle, 0); at >= 0; at = indexOf(page, needle, at + 1)) {
      n++;
    }
    return n;
  }

  private static int indexOf(byte[] page, byte[] needle) {
    return indexOf(page, needle, 0);
  }

  private static int indexOf(byte[] page, byte[] needle, int from) {
    outer:
    for (int i = from; i <= page.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (page[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
