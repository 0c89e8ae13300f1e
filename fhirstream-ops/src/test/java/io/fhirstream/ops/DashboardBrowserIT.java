package io.fhirstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.ops.HealthCheck.Result;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard in a real browser (headless Chromium, the Debian packages that
 * scripts/ensure-chromium.sh installs): what the page shows must be what {@code /metrics} and
 * {@code /api/dashboard} say at that moment, and must follow them live. Leaves screenshots in
 * target/ for a person to look at.
 */
class DashboardBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Twenty seconds of pipeline time per real second: five minutes of charts in fifteen. */
  private static final int SPEED = 20;

  private final FastClock clock = new FastClock(SPEED);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
  private final DemoTraffic traffic = new DemoTraffic(registry);
  private final HttpClient http = HttpClient.newHttpClient();
  private final ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
  private OperatorEndpoint endpoint;
  private Path profile;
  private ChromeDriverService driverService;
  private ChromeDriver browser;

  @BeforeAll
  static void chromiumIsInstalled() {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "chromium and chromium-driver are not installed; run scripts/ensure-chromium.sh as root");
  }

  @BeforeEach
  void start() throws IOException {
    endpoint =
        OperatorEndpoint.builder()
            .metrics(registry)
            .clock(clock)
            .dashboardInterval(Duration.ofMillis(1000 / SPEED))
            .dashboardSource(traffic)
            .livenessCheck(HealthCheck.of("pipeline", () -> Result.up("capture and sink running")))
            .healthCheck(HealthCheck.of("kafka", () -> Result.up("1 broker reachable")))
            .healthCheck(HealthCheck.of("fhir", () -> Result.up("metadata answered (R4)")))
            .healthCheck(HealthCheck.of("store", () -> Result.up("sqlite")))
            .start();
    profile = Files.createTempDirectory("fhirstream-chromium-");
    // The Debian driver, named explicitly: Selenium Manager never runs, so nothing is downloaded.
    driverService =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(new File("target/chromedriver.log"))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1440,1000",
        "--user-data-dir=" + profile);
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    browser = new ChromeDriver(driverService, options);
  }

  @AfterEach
  void stop() throws IOException {
    feeder.shutdownNow();
    if (browser != null) {
      browser.quit();
    }
    if (driverService != null) {
      driverService.stop();
    }
    if (endpoint != null) {
      endpoint.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  void thePageShowsWhatTheMetricsSayAndFollowsThemLive() throws Exception {
    Instant now = Instant.ofEpochMilli(clock.wallTime());
    traffic.deadLetter("fhir.Observation", "invalid FHIR JSON: unexpected end of input", now);
    traffic.deadLetter("fhir.Encounter", "resource larger than the store's 2 MiB limit", now);
    traffic.deadLetter("fhir.Observation", "invalid FHIR JSON: unexpected end of input", now);
    feeder.scheduleAtFixedRate(
        () -> traffic.run(clock.elapsedSeconds()), 0, 10, TimeUnit.MILLISECONDS);

    browser.get(endpoint.url().toString());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> text("connection").equals("Live") && !text("total-written").equals("—"));

    // Five minutes of pipeline time fill the charts; the page keeps updating meanwhile.
    long firstUpdate = Long.parseLong(attribute("updated", "data-time"));
    Thread.sleep(Duration.ofSeconds(320 / SPEED).toMillis());
    assertThat(Long.parseLong(attribute("updated", "data-time"))).isGreaterThan(firstUpdate);
    screenshot(Path.of("target/dashboard.png"));

    // Stable values: the page, /metrics and /api/dashboard must then say the same.
    feeder.shutdown();
    assertThat(feeder.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    awaitPageMatchesMetrics();

    // Changed values reach the open page by the stream, without a reload.
    browser.executeScript("window.sameDocument = true;");
    long writtenBefore = Math.round(Scrape.sum(scrape(), "fhirstream_sink_written_total"));
    traffic.written("Patient").increment(1234);
    traffic.setStoreBase("Condition", 500);
    traffic.deadLetter("fhir.Patient", "unknown resource type 'Patientt' on topic", now);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Page.read(browser).number("total-written") == writtenBefore + 1234);
    awaitPageMatchesMetrics();
    assertThat(browser.executeScript("return window.sameDocument === true;")).isEqualTo(true);
    assertThat(Page.read(browser).deadLetterReasons().get(0))
        .isEqualTo("unknown resource type 'Patientt' on topic");
    screenshot(Path.of("target/dashboard-updated.png"));

    List<LogEntry> errors =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(
                entry -> entry.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
            .toList();
    assertThat(errors).as("browser console errors (CSP violations, script errors)").isEmpty();
  }

  /** Waits for the stream to bring the latest snapshot, then compares all three views once. */
  private void awaitPageMatchesMetrics() {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(this::pageMatchesMetrics);
  }

  private void pageMatchesMetrics() throws Exception {
    Page page = Page.read(browser);
    String metrics = scrape();
    JsonNode api = JSON.readTree(get("api/dashboard"));

    long written = Math.round(Scrape.sum(metrics, "fhirstream_sink_written_total"));
    assertThat(written).isPositive();
    assertThat(page.number("total-written"))
        .isEqualTo(written)
        .isEqualTo(api.at("/totals/written").asLong());
    assertThat(page.number("total-published"))
        .isEqualTo(Math.round(Scrape.sum(metrics, "fhirstream_source_published_total")))
        .isEqualTo(api.at("/totals/published").asLong());
    assertThat(page.number("total-dead-letters"))
        .isEqualTo(Math.round(Scrape.sum(metrics, "fhirstream_sink_dead_letters_total")))
        .isEqualTo(api.at("/totals/deadLetters").asLong());
    assertThat(page.number("total-lag"))
        .isEqualTo(Math.round(Scrape.sum(metrics, "fhirstream_sink_lag")))
        .isEqualTo(api.at("/totals/lag").asLong());

    Map<String, Long> stored = traffic.storeCounts();
    assertThat(page.types()).hasSize(api.get("types").size());
    for (JsonNode row : api.get("types")) {
      String type = row.get("type").asText();
      long metricWritten =
          Math.round(
              Scrape.value(metrics, "fhirstream_sink_written_total", "type=\"" + type + "\""));
      assertThat(page.typeCell(type, "written"))
          .as(type + " written")
          .isEqualTo(metricWritten)
          .isEqualTo(row.get("written").asLong());
      assertThat(page.typeCell(type, "stored"))
          .as(type + " in store")
          .isEqualTo(stored.get(type))
          .isEqualTo(row.get("stored").asLong());
    }
    assertThat(page.number("total-stored"))
        .isEqualTo(stored.values().stream().mapToLong(Long::longValue).sum());

    assertThat(page.topics()).hasSize(api.get("lag").size());
    for (JsonNode topic : api.get("lag")) {
      String name = topic.get("topic").asText();
      double metricLag =
          Scrape.value(metrics, "fhirstream_sink_lag", "partition=\"0\",topic=\"" + name + "\"")
              + Scrape.value(
                  metrics, "fhirstream_sink_lag", "partition=\"1\",topic=\"" + name + "\"");
      assertThat(page.topicLag(name))
          .as(name + " lag")
          .isEqualTo(Math.round(metricLag))
          .isEqualTo(topic.get("lag").asLong());
    }

    assertThat(page.deadLetterReasons())
        .containsExactlyElementsOf(api.at("/deadLetters/latest").findValuesAsText("reason"))
        .containsExactlyElementsOf(
            traffic.latestDeadLetters(8).stream().map(DashboardSource.DeadLetter::reason).toList());
  }

  private String scrape() throws Exception {
    return get("metrics");
  }

  private String get(String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(endpoint.url().resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private String attribute(String id, String name) {
    return browser.findElement(By.id(id)).getAttribute(name);
  }

  /** The whole page: the window is made as tall as the document first. */
  private void screenshot(Path file) throws IOException {
    JavascriptExecutor js = browser;
    Dimension window = browser.manage().window().getSize();
    long viewport = (Long) js.executeScript("return window.innerHeight;");
    long document = (Long) js.executeScript("return document.documentElement.scrollHeight;");
    browser
        .manage()
        .window()
        .setSize(new Dimension(1440, (int) (document + window.getHeight() - viewport)));
    Files.createDirectories(file.getParent());
    Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
  }
}
