package io.fhirstream.fault;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One fhirstream process (pipeline, broker or FHIR server) started from the app's jar, its output
 * appended to a log file. Stopped only by its own pid: {@code kill -9}, SIGTERM, SIGSTOP, SIGCONT.
 */
final class ManagedProcess implements AutoCloseable {
  private final List<String> command;
  private final Path log;
  private Process process;

  ManagedProcess(Path jar, String heap, Path log, List<String> args, List<String> jvmArgs) {
    this.log = log;
    this.command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
  }

  /** Starts the process; with {@code readyLine}, waits until its output contains it. */
  ManagedProcess start(String readyLine, Duration timeout)
      throws IOException, InterruptedException {
    long offset = Files.exists(log) ? Files.size(log) : 0;
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (readyLine != null) {
      awaitOutput(readyLine, offset, timeout);
    }
    return this;
  }

  private void awaitOutput(String line, long offset, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("process exited (" + process.exitValue() + "); see " + log);
      }
      if (outputSince(offset).contains(line)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no '" + line + "' within " + timeout + "; see " + log);
  }

  private String outputSince(long offset) throws IOException {
    byte[] all = Files.readAllBytes(log);
    return new String(
        all,
        (int) Math.min(offset, all.length),
        (int) Math.max(0, all.length - offset),
        StandardCharsets.UTF_8);
  }

  /** Waits for the process to end by itself; whether it did within the timeout. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** kill -9: no shutdown hook, no flush, nothing. */
  void killHard() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: a clean stop through the shutdown hooks. */
  void stopClean() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      killHard();
    }
  }

  void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (alive()) {
      signal0("CONT");
      stopClean();
    }
  }

  private void signal0(String name) {
    try {
      signal(name);
    } catch (IOException | InterruptedException e) {
      // best effort: the process is being stopped anyway
    }
  }

  static String readAll(Path log) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      StringBuilder out = new StringBuilder();
      reader.lines().forEach(l -> out.append(l).append('\n'));
      return out.toString();
    }
  }
}
