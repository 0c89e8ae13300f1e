package io.fhirstream.jpaserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JpaFhirServerProcessTest {
  @TempDir Path tmp;

  @Test
  void childClasspathIsThisModuleThenEveryRuntimeDependencyAndAllExist() throws Exception {
    String[] entries = JpaFhirServerProcess.classpath().split(File.pathSeparator);

    assertThat(Path.of(entries[0])).isEqualTo(Path.of("target/classes").toAbsolutePath());
    assertThat(Arrays.stream(entries).map(Path::of)).allMatch(Files::exists);
    assertThat(Arrays.stream(entries))
        .anyMatch(e -> e.contains("hapi-fhir-jpaserver-base-8.8.0.jar"))
        .anyMatch(e -> e.contains("h2-"))
        .noneMatch(e -> e.contains("junit"));
  }

  @Test
  void aServerThatCannotStartFailsAtOnceNamingItsLog() {
    Path log = tmp.resolve("server.log");
    JpaFhirServerProcess.Builder builder =
        JpaFhirServerProcess.builder().logFile(log).jvmArg("-XX:+NoSuchJvmOption");

    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with status")
        .hasMessageContaining(log.toAbsolutePath().toString());
    assertThat(log).content().contains("NoSuchJvmOption");
  }

  @Test
  void heapMustBeAnXmxSize() {
    assertThatThrownBy(() -> JpaFhirServerProcess.builder().heap("lots"))
        .hasMessageContaining("512m or 2g")
        .hasMessageContaining("'lots'");
  }

  @Test
  void optionsRefuseABadPortOrPoolAndPickTheDatabaseByDataDir() {
    assertThatThrownBy(() -> new JpaServerOptions(70000, Optional.empty(), 10, true))
        .hasMessageContaining("--port");
    assertThatThrownBy(() -> new JpaServerOptions(0, Optional.empty(), 0, true))
        .hasMessageContaining("--db-connections");

    assertThat(new JpaServerOptions(0, Optional.empty(), 10, true).jdbcUrl())
        .startsWith("jdbc:h2:mem:");
    assertThat(new JpaServerOptions(0, Optional.of(tmp), 10, true).jdbcUrl())
        .startsWith("jdbc:h2:file:" + tmp.toAbsolutePath().resolve("fhir"));
  }
}
