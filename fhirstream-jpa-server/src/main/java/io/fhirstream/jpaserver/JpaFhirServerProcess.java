package io.fhirstream.jpaserver;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link JpaFhirServer} in a child JVM, for tests and benchmarks in other modules: {@code
 * builder().start()} → {@link #baseUrl()}… → {@link #close()}.
 *
 * <p>The child runs on exactly this module's runtime classpath, which the build writes to {@value
 * #CLASSPATH_RESOURCE} (paths into the local Maven repository), with {@code java} from this JVM's
 * {@code java.home}. Its stdout and stderr go to one log file (default under {@code
 * target/jpa-fhir-server/}), never to the caller's output. {@link #close()} stops exactly this
 * process, by its pid: SIGTERM, then SIGKILL after a grace period. The child also stops by itself
 * when the JVM that started it ends, so a killed test run leaves no server behind.
 *
 * <p>Uses only the JDK, so a module may depend on this one with every transitive dependency
 * excluded and still start servers.
 */
public final class JpaFhirServerProcess implements AutoCloseable {
  /** Classpath resource listing the child's runtime classpath, written by the build. */
  static final String CLASSPATH_RESOURCE = "runtime-classpath.txt";

  private static final Pattern READY =
      Pattern.compile(Pattern.quote(JpaFhirServer.READY_PREFIX) + "(http://\\S+)");

  private final Process process;
  private final Path logFile;
  private final String baseUrl;
  private final Duration startupTime;
  private final Optional<Duration> startupCpu;
  private final Duration stopGrace;

  private JpaFhirServerProcess(
      Process process, Path logFile, String baseUrl, Duration startupTime, Duration stopGrace) {
    this.process = process;
    this.logFile = logFile;
    this.baseUrl = baseUrl;
    this.startupTime = startupTime;
    this.startupCpu = process.info().totalCpuDuration();
    this.stopGrace = stopGrace;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The FHIR base URL, e.g. {@code http://127.0.0.1:41234/fhir}. */
  public String baseUrl() {
    return baseUrl;
  }

  public long pid() {
    return process.pid();
  }

  /** Where the server's stdout and stderr go. */
  public Path logFile() {
    return logFile;
  }

  /** From launching the JVM to reading its ready line. */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * CPU time the server used until it was ready (all its threads); on a shared machine a steadier
   * figure than {@link #startupTime()}. Empty where the OS does not tell.
   */
  public Optional<Duration> startupCpu() {
    return startupCpu;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The child's resident set size now (Linux {@code /proc}); empty where unavailable. */
  public OptionalLong residentSetBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring("VmRSS:".length()).replace("kB", "").trim();
          return OptionalLong.of(Long.parseLong(kb) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the process is gone
    }
    return OptionalLong.empty();
  }

  /**
   * Stops the server (SIGTERM, a clean shutdown through its hook), or kills it if it is not gone
   * within the grace period; returns once the process has ended. Interrupted, it kills the server
   * at once and keeps the thread's interrupt flag.
   */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Settings for a server process; every one has a default. */
  public static final class Builder {
    private String heap = "1g";
    private Path dataDir;
    private Path logFile;
    private Duration startTimeout = Duration.ofMinutes(3);
    private Duration stopGrace = Duration.ofSeconds(30);
    private boolean fastStartup = true;
    private boolean subscriptions = true;
    private final List<String> jvmArgs = new ArrayList<>();

    private Builder() {}

    /** Maximum heap, as {@code -Xmx} takes it (default {@code 1g}). */
    public Builder heap(String heap) {
      if (!heap.matches("\\d+[kKmMgG]?")) {
        throw new IllegalArgumentException("heap must look like 512m or 2g, was '" + heap + "'");
      }
      this.heap = heap;
      return this;
    }

    /** Keep the H2 database in this directory (default: in memory, gone when the server stops). */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** Where the server's output goes (default {@code target/jpa-fhir-server/server-*.log}). */
    public Builder logFile(Path logFile) {
      this.logFile = Objects.requireNonNull(logFile, "logFile");
      return this;
    }

    /** How long to wait for the ready line (default 3 minutes: a busy 2-core CI machine). */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
      return this;
    }

    /** How long {@link #close()} waits after SIGTERM before SIGKILL (default 30 s). */
    public Builder stopGrace(Duration stopGrace) {
      this.stopGrace = Objects.requireNonNull(stopGrace, "stopGrace");
      return this;
    }

    /**
     * With {@code true} (the default) the JIT stops at C1, which starts the server about a third
     * sooner but serves fewer requests per second once warm: benchmarks of the server's ceiling
     * should pass {@code false}.
     */
    public Builder fastStartup(boolean fastStartup) {
      this.fastStartup = fastStartup;
      return this;
    }

    /**
     * Whether the server serves rest-hook Subscriptions (default {@code true}); without them writes
     * skip HAPI's subscription matching queue, as on a server configured without them.
     */
    public Builder subscriptions(boolean subscriptions) {
      this.subscriptions = subscriptions;
      return this;
    }

    /** Extra JVM options, e.g. {@code -XX:+UseParallelGC}. */
    public Builder jvmArg(String arg) {
      jvmArgs.add(Objects.requireNonNull(arg, "arg"));
      return this;
    }

    /**
     * Launches the server and waits for its ready line.
     *
     * @throws IllegalStateException if the process exits first or is not ready within the timeout
     *     (it is then killed); the message names the log file to read
     */
    public JpaFhirServerProcess start() throws IOException, InterruptedException {
      Path log = logFile != null ? logFile : defaultLogFile();
      Files.createDirectories(log.toAbsolutePath().getParent());
      Path argFile = writeArgFile(log);
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("@" + argFile);
      command.add(JpaFhirServer.class.getName());
      command.addAll(List.of("--port", "0"));
      command.addAll(List.of("--parent-pid", Long.toString(ProcessHandle.current().pid())));
      if (!subscriptions) {
        command.add("--no-subscriptions");
      }
      if (dataDir != null) {
        Files.createDirectories(dataDir);
        command.addAll(List.of("--data-dir", dataDir.toAbsolutePath().toString()));
      }
      long offset = Files.exists(log) ? Files.size(log) : 0;
      long launched = System.nanoTime();
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      String baseUrl;
      try {
        baseUrl = awaitReady(process, log, offset);
      } catch (IOException | RuntimeException | InterruptedException e) {
        process.destroyForcibly();
        throw e;
      }
      Duration startup = Duration.ofNanos(System.nanoTime() - launched);
      return new JpaFhirServerProcess(process, log, baseUrl, startup, stopGrace);
    }

    /** JVM options and classpath in an {@code @argfile}, so {@code ps} stays readable. */
    private Path writeArgFile(Path log) throws IOException {
      List<String> lines = new ArrayList<>();
      lines.add("-Xmx" + heap);
      // One collector thread and a small footprint: the server shares 2 cores with its tests.
      lines.add("-XX:+UseSerialGC");
      if (fastStartup) {
        lines.add("-XX:TieredStopAtLevel=1");
      }
      lines.addAll(jvmArgs);
      lines.add("-cp");
      lines.add(quote(classpath()));
      Path argFile = Path.of(log.toAbsolutePath() + ".args");
      Files.write(argFile, lines, StandardCharsets.UTF_8);
      return argFile;
    }

    private String awaitReady(Process process, Path log, long offset)
        throws IOException, InterruptedException {
      long deadline = System.nanoTime() + startTimeout.toNanos();
      while (System.nanoTime() < deadline) {
        Matcher ready = READY.matcher(readFrom(log, offset));
        if (ready.find()) {
          return ready.group(1);
        }
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the FHIR server exited with status "
                  + process.exitValue()
                  + " before it was ready; see "
                  + log.toAbsolutePath());
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException(
          "the FHIR server was not ready within "
              + startTimeout
              + " (raise startTimeout on a slow machine); see "
              + log.toAbsolutePath());
    }
  }

  private static String readFrom(Path log, long offset) throws IOException {
    byte[] all = Files.readAllBytes(log);
    int from = (int) Math.min(offset, all.length);
    return new String(all, from, all.length - from, StandardCharsets.UTF_8);
  }

  private static Path defaultLogFile() {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    return Path.of("target", "jpa-fhir-server", "server-" + stamp + ".log");
  }

  /** This module's classes (a directory or its jar) followed by its runtime dependencies. */
  static String classpath() throws IOException {
    String dependencies;
    try (InputStream in = JpaFhirServerProcess.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "io/fhirstream/jpaserver/"
                + CLASSPATH_RESOURCE
                + " is missing from the classpath: build fhirstream-jpa-server with Maven"
                + " (./mvnw -pl fhirstream-jpa-server package), which writes it");
      }
      dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    for (String entry : dependencies.split(java.io.File.pathSeparator)) {
      if (!Files.exists(Path.of(entry))) {
        throw new IllegalStateException(
            "the JPA server's dependency "
                + entry
                + " is not in the local Maven repository: run ./mvnw -pl fhirstream-jpa-server"
                + " package to fetch it");
      }
    }
    return ownLocation() + java.io.File.pathSeparator + dependencies;
  }

  private static String ownLocation() {
    try {
      return Path.of(
              Optional.ofNullable(JpaFhirServer.class.getProtectionDomain().getCodeSource())
                  .orElseThrow(() -> new IllegalStateException("no code source for the server"))
                  .getLocation()
                  .toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the server's classes", e);
    }
  }

  /** Quotes an argfile value: backslashes and quotes escaped, the whole in double quotes. */
  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
