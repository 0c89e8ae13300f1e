package io.fhirstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What of the container can be tested without a container engine: the entrypoint script (the
 * command it runs, its health check against a real HTTP endpoint) and the image's layout (what the
 * Dockerfile copies is what the build makes, and the jar finds every library it names).
 */
class ContainerImageIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path ENTRYPOINT = ROOT.resolve("container/entrypoint.sh");

  @TempDir Path dir;

  private record Result(int exitCode, String out, String err) {}

  private Result entrypoint(Map<String, String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", ENTRYPOINT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("FHIRSTREAM_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(
        process.exitValue(),
        Files.readString(dir.resolve("out")),
        Files.readString(dir.resolve("err")));
  }

  /** A stand-in for java that prints the arguments it was given, one per line. */
  private Map<String, String> fakeJava(String... more) throws IOException {
    Path java = dir.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> environment = new HashMap<>();
    environment.put("JAVA", java.toString());
    environment.put("FHIRSTREAM_HOME", "/opt/fhirstream");
    for (int i = 0; i < more.length; i += 2) {
      environment.put(more[i], more[i + 1]);
    }
    return environment;
  }

  @Test
  void theEntrypointRunsTheJarWithContainerFriendlyJvmOptions() throws Exception {
    Result result = entrypoint(fakeJava(), "status", "--set", "hub.topic-prefix=x.");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines())
        .containsExactly(
            "-XX:MaxRAMPercentage=75",
            "-XX:+ExitOnOutOfMemoryError",
            "-jar",
            "/opt/fhirstream/fhirstream.jar",
            "status",
            "--set",
            "hub.topic-prefix=x.");
  }

  @Test
  void withoutACommandOrWithOptionsOnlyTheEntrypointRunsThePipeline() throws Exception {
    assertThat(entrypoint(fakeJava()).out().lines()).endsWith("run");
    assertThat(entrypoint(fakeJava(), "--roles", "sink").out().lines())
        .endsWith("run", "--roles", "sink");
  }

  @Test
  void fhirstreamJavaOptsReplaceTheDefaultJvmOptions() throws Exception {
    Result result = entrypoint(fakeJava("FHIRSTREAM_JAVA_OPTS", "-Xmx1g -Dx=y"), "run");
    assertThat(result.out().lines())
        .containsExactly("-Xmx1g", "-Dx=y", "-jar", "/opt/fhirstream/fhirstream.jar", "run");
  }

  @Test
  void theHealthCheckPassesOnlyWhileTheReadinessProbeAnswers200() throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    HttpServer probe =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    probe.createContext(
        "/health/ready",
        exchange -> {
          byte[] body = "{\"status\":\"…\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    probe.start();
    try {
      Map<String, String> environment =
          Map.of("FHIRSTREAM_OPS_PORT", Integer.toString(probe.getAddress().getPort()));
      assertThat(entrypoint(environment, "healthcheck").exitCode()).isZero();
      status.set(503);
      Result down = entrypoint(environment, "healthcheck");
      assertThat(down.exitCode()).isEqualTo(1);
      assertThat(down.err()).contains("503");
    } finally {
      probe.stop(0);
    }
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    Result nothing =
        entrypoint(Map.of("FHIRSTREAM_OPS_PORT", Integer.toString(closed)), "healthcheck");
    assertThat(nothing.exitCode()).isEqualTo(1);
    assertThat(nothing.err()).contains("nothing listens on " + closed);
  }

  @Test
  void theImageCopiesWhatTheBuildMakesAndTheJarFindsEveryLibrary() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    Matcher copies = Pattern.compile("(?m)^COPY (?:--\\S+ )*(\\S+) \\S+$").matcher(dockerfile);
    List<String> sources = new ArrayList<>();
    while (copies.find()) {
      sources.add(copies.group(1));
    }
    assertThat(sources)
        .contains(
            "fhirstream-cli/target/lib/",
            "fhirstream-cli/target/fhirstream.jar",
            "container/entrypoint.sh");
    for (String source : sources) {
      assertThat(ROOT.resolve(source)).as(source).exists();
    }
    try (JarFile jar = new JarFile(CliProcess.jar().toFile())) {
      String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
      assertThat(classPath).isNotBlank();
      for (String entry : classPath.trim().split("\\s+")) {
        assertThat(entry).startsWith("lib/");
        assertThat(ROOT.resolve("fhirstream-cli/target").resolve(entry)).as(entry).exists();
      }
    }
    assertThat(dockerfile)
        .containsPattern("(?m)^USER fhirstream$")
        .contains("VOLUME [\"/var/lib/fhirstream\"]")
        .contains("\"/usr/local/bin/fhirstream-entrypoint\", \"healthcheck\"")
        .contains("FHIRSTREAM_OPS_BIND_ADDRESS=0.0.0.0");
  }

  @Test
  void theComposeStackRunsSourceSinkAndAnalyticsAsServicesWithReadOnlyRoots() throws Exception {
    String compose = Files.readString(ROOT.resolve("container/compose.yaml"));
    assertThat(compose)
        .contains("command: [\"run\", \"--roles\", \"source\"]")
        .contains("command: [\"run\", \"--roles\", \"sink\"]")
        .contains("command: [\"run\", \"--roles\", \"analytics\"]")
        .contains("image: apache/kafka")
        .contains("image: postgres")
        .contains("image: hapiproject/hapi");
    assertThat(Pattern.compile("(?m)^ +read_only: true").matcher(compose).results().count())
        .as("the source, the sink and the analytics service")
        .isEqualTo(3);
  }
}
