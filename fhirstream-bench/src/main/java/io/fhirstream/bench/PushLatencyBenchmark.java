package io.fhirstream.bench;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.embedded.EmbeddedKafkaBroker;
import io.fhirstream.source.FhirChangeSource;
import io.fhirstream.source.SourceConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Push-mode latency with the FHIR side in a process of its own ({@link PushWriter}: the demo FHIR
 * server sending rest-hook notifications, and the writer): from the write to the store commit, as
 * {@link LatencyBenchmark} measures it, and, for fhirstream's own part, from a notification's
 * arrival at the endpoint to the store commit of the batch that holds its change.
 */
public final class PushLatencyBenchmark {
  private final int rate;
  private final Duration duration;
  private final Duration warmup;
  private final Path dataDir;
  private final PrintStream log;

  /**
   * What a run measured.
   *
   * @param latency from the write, as in polling mode
   * @param fromArrivalMicros from a notification's arrival at the endpoint to the store commit
   * @param delivered notifications the server delivered
   * @param dropped notifications the server dropped after its retries
   */
  public record Result(
      LatencyBenchmark.Result latency, Histogram fromArrivalMicros, long delivered, long dropped) {}

  public PushLatencyBenchmark(int rate, Duration duration, Path dataDir, PrintStream log) {
    this.rate = rate;
    this.duration = duration;
    this.warmup = Duration.ofSeconds(Math.min(10, duration.toSeconds() / 4));
    this.dataDir = dataDir;
    this.log = log;
  }

  public Result run() throws Exception {
    Benchmark.wipe(dataDir);
    Map<String, Long> writtenAt = new ConcurrentHashMap<>();
    long[] measureFrom = {Long.MAX_VALUE};
    CommitTimer fromWrite = new CommitTimer(() -> measureFrom[0]);
    CommitTimer fromArrival = new CommitTimer(() -> measureFrom[0]);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
        WriterProcess writer = WriterProcess.start(log);
        Pipeline pipeline = start(broker, writer.baseUrl());
        HubArrivals arrivals =
            new HubArrivals(
                pipeline.hub(),
                new EventCodec(pipeline.hub(), URI.create(writer.baseUrl())),
                "Patient",
                writtenAt,
                () -> measureFrom[0])) {
      ((FhirChangeSource) pipeline.source())
          .push()
          .onArrival((event, at) -> fromArrival.started(CommitTimer.key(event), at));
      pipeline
          .sink()
          .onCommitted(
              batch -> {
                long now = System.nanoTime();
                for (ChangeEvent event : batch) {
                  fromWrite.committed(event, now);
                  fromArrival.committed(event, now);
                }
              });
      measureFrom[0] = System.nanoTime() + warmup.toNanos();
      GcWatch gc = new GcWatch();
      long liveStart = -1;
      CompletableFuture<long[]> done =
          writer.go(
              rate,
              duration.toSeconds(),
              (key, at) -> {
                writtenAt.put(key, at);
                fromWrite.started(key, at);
              });
      while (!done.isDone()) {
        if (liveStart < 0 && System.nanoTime() >= measureFrom[0]) {
          liveStart = GcWatch.liveHeapMb();
        }
        Thread.sleep(100);
      }
      long[] counts = done.get();
      log.printf(
          "push latency run: %,d changes at %,d/s by the writer process; waiting for the last to"
              + " commit%n",
          counts[0], rate);
      fromWrite.awaitCommitted(Duration.ofSeconds(30));
      gc.close();
      long liveEnd = GcWatch.liveHeapMb();
      LatencyBenchmark.Result latency =
          new LatencyBenchmark.Result(
              fromWrite.micros(),
              arrivals.micros(),
              liveStart,
              liveEnd,
              MemorySampler.peakRssMb(),
              gc.count(),
              gc.totalMillis(),
              gc.maxMillis(),
              fromWrite.uncommitted());
      return new Result(latency, fromArrival.micros(), counts[1], counts[2]);
    }
  }

  private Pipeline start(EmbeddedKafkaBroker broker, String baseUrl) {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("source.fhir.base-url", baseUrl);
    raw.put("kafka.bootstrap.servers", broker.bootstrapServers());
    raw.put("store.sqlite.path", dataDir.resolve("latency.db").toString());
    raw.put("source.push.enabled", "true");
    raw.put("source.push.port", "0");
    raw.put("source.push.secret", UUID.randomUUID().toString());
    raw.put("source.push.poll-interval", "60s");
    Settings settings = Settings.parse(raw);
    Pipeline pipeline =
        Pipeline.start(settings, EnumSet.of(Role.SOURCE, Role.SINK), new SimpleMeterRegistry());
    SourceConfig source =
        SourceConfig.from(settings.sourceConfig(), settings.runtime().resourceTypes());
    URI endpoint = ((FhirChangeSource) pipeline.source()).push().url();
    source.subscriptionSetup(endpoint, source.newCredentials()).ensureAll();
    log.printf("push latency run: notifications to %s from a writer process%n", endpoint);
    return pipeline;
  }

  /** {@link PushWriter} in its own JVM, on this one's class path. */
  private static final class WriterProcess implements AutoCloseable {
    private final Process process;
    private final Writer commands;
    private final BufferedReader replies;
    private final String baseUrl;

    private WriterProcess(Process process) throws IOException {
      this.process = process;
      this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      this.replies =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String ready = replies.readLine();
      if (ready == null || !ready.startsWith("ready ")) {
        throw new IllegalStateException("the push writer process did not start: " + ready);
      }
      this.baseUrl = ready.substring("ready ".length());
    }

    static WriterProcess start(PrintStream log) throws IOException {
      Process process =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-Xmx1g",
                      "-cp",
                      System.getProperty("java.class.path"),
                      PushWriter.class.getName()))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      log.printf("push writer process %d%n", process.pid());
      return new WriterProcess(process);
    }

    String baseUrl() {
      return baseUrl;
    }

    /** Starts the writes; completes with {changes, delivered, dropped}. */
    CompletableFuture<long[]> go(
        int rate, long seconds, java.util.function.ObjLongConsumer<String> written)
        throws IOException {
      commands.write("go " + rate + " " + seconds + "\n");
      commands.flush();
      return CompletableFuture.supplyAsync(
          () -> {
            try {
              for (String line = replies.readLine(); line != null; line = replies.readLine()) {
                String[] words = line.split(" ");
                if (words[0].equals("w")) {
                  written.accept(words[1], Long.parseLong(words[2]));
                } else if (words[0].equals("done")) {
                  return new long[] {
                    Long.parseLong(words[1]), Long.parseLong(words[2]), Long.parseLong(words[3])
                  };
                }
              }
              throw new IllegalStateException("the push writer process ended early");
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }

    /** Closing its input ends it; stopped by its pid if it does not. */
    @Override
    public void close() throws Exception {
      commands.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
