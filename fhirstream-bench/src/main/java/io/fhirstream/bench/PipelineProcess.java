package io.fhirstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pipeline as its own process, the way a user runs it: the fhirstream jar this class was loaded
 * from, {@code run}, with settings given as {@code --set}. Its output goes to a log file, which the
 * benchmark reads for what the pipeline reports of itself (its start-up, its reads).
 */
final class PipelineProcess implements AutoCloseable {
  private static final Pattern FIRST_REQUEST =
      Pattern.compile("first request to the FHIR server \\(GET metadata\\) (\\d+) ms after");
  private static final Pattern SNAPSHOT =
      Pattern.compile(
          "INFO  WindowedSnapshot - (\\w+): snapshot handed over (\\d+) resources, read (\\d+)"
              + " entries");

  private final Process process;
  private final Path log;
  private final long launchedNanos;

  private PipelineProcess(Process process, Path log, long launchedNanos) {
    this.process = process;
    this.log = log;
    this.launchedNanos = launchedNanos;
  }

  /**
   * Launches {@code java [jvmArgs] -jar fhirstream.jar run --set k=v…}.
   *
   * @param log where its stdout and stderr go
   */
  static PipelineProcess start(List<String> jvmArgs, Map<String, String> settings, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(classDataSharing(appJar()));
    command.add("-jar");
    command.add(appJar().toString());
    command.add("run");
    settings.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
    long launched = System.nanoTime();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new PipelineProcess(process, log, launched);
  }

  /** When the process was launched, as {@link System#nanoTime()}. */
  long launchedNanos() {
    return launchedNanos;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the pipeline process exited (" + process.exitValue() + "); see " + log);
    }
  }

  /** Peak resident set size so far (VmHWM), in MB; -1 without /proc. */
  long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** What the pipeline logged of the time from its JVM's start to its first FHIR request; -1. */
  long firstRequestMillis() throws IOException {
    Matcher m = FIRST_REQUEST.matcher(Files.readString(log));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Entries the first load read from the server, per its snapshot log lines, all types. */
  long entriesRead() throws IOException {
    long read = 0;
    Matcher m = SNAPSHOT.matcher(Files.readString(log));
    while (m.find()) {
      read += Long.parseLong(m.group(3));
    }
    return read;
  }

  /** Stops it (SIGTERM, then SIGKILL after 30 s). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /**
   * The fhirstream jar this JVM runs ({@code java -jar fhirstream.jar bench}): the pipeline process
   * runs the same build.
   */
  /**
   * The class-data archive the {@code ./fhirstream} launcher keeps beside the jar, when it is there
   * and newer than the jar: the pipeline then starts as a user's launcher starts it.
   */
  private static List<String> classDataSharing(Path jar) throws IOException {
    Path archive = jar.resolveSibling("fhirstream.jsa");
    if (Files.isRegularFile(archive)
        && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
      return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }
    return List.of();
  }

  static Path appJar() {
    String classPath = System.getProperty("java.class.path", "");
    Path jar = Path.of(classPath.split(java.io.File.pathSeparator)[0]);
    if (!classPath.contains(java.io.File.pathSeparator)
        && jar.toString().endsWith(".jar")
        && Files.isRegularFile(jar)) {
      return jar.toAbsolutePath();
    }
    throw new IllegalStateException(
        "this benchmark starts the pipeline from the fhirstream jar; run it with ./fhirstream"
            + " bench (java -jar fhirstream.jar), not from the class path "
            + classPath);
  }
}
