package io.fhirstream.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Function App folder the build's {@code package} made, read as the Functions host and its Java
 * worker read it: host.json, a function.json per function, the entry point loaded from the jar and
 * lib/ alone.
 */
class FunctionAppLayoutIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path APP = Path.of("target/azure-functions/fhirstream-functions");

  @Test
  void hostJsonChecksPointsAfterEveryBatchAndStartsANewGroupAtTheBeginning() throws IOException {
    JsonNode host = JSON.readTree(APP.resolve("host.json").toFile());

    assertThat(host.path("version").asText()).isEqualTo("2.0");
    JsonNode eventHubs = host.path("extensions").path("eventHubs");
    assertThat(eventHubs.path("batchCheckpointFrequency").asInt()).isEqualTo(1);
    assertThat(eventHubs.path("maxEventBatchSize").asInt()).isPositive();
    assertThat(eventHubs.path("initialOffsetOptions").path("type").asText()).isEqualTo("fromStart");
  }

  @Test
  void theWriterIsABatchEventHubsTriggerRetriedWithoutLimit() throws IOException {
    JsonNode function = JSON.readTree(APP.resolve("fhirstream-writer/function.json").toFile());

    assertThat(function.path("entryPoint").asText())
        .isEqualTo("io.fhirstream.functions.WriterFunction.write");
    assertThat(APP.resolve("fhirstream-writer").resolve(function.path("scriptFile").asText()))
        .isRegularFile();
    JsonNode bindings = function.path("bindings");
    assertThat(bindings).hasSize(1);
    JsonNode trigger = bindings.get(0);
    assertThat(trigger.path("type").asText()).isEqualTo("eventHubTrigger");
    assertThat(trigger.path("direction").asText()).isEqualTo("in");
    assertThat(trigger.path("name").asText()).isEqualTo("events");
    assertThat(trigger.path("cardinality").asText()).isEqualTo("many");
    assertThat(trigger.path("dataType").asText()).isEqualTo("binary");
    assertThat(trigger.path("connection").asText()).isEqualTo(WriterFunction.CONNECTION);
    assertThat(trigger.path("eventHubName").asText())
        .isEqualTo("%FHIRSTREAM_FUNCTIONS_WRITER_EVENT_HUB%");
    assertThat(trigger.path("consumerGroup").asText())
        .isEqualTo("%FHIRSTREAM_FUNCTIONS_WRITER_CONSUMER_GROUP%");
    JsonNode retry = function.path("retry");
    assertThat(retry.path("strategy").asText()).isEqualTo("exponentialBackoff");
    assertThat(retry.path("maxRetryCount").asInt()).isEqualTo(-1);
  }

  @Test
  void theEventsCaptureIsTriggeredByTheHealthDataServicesEventHub() throws IOException {
    JsonNode function = JSON.readTree(APP.resolve("fhirstream-ahds-events/function.json").toFile());

    assertThat(function.path("entryPoint").asText())
        .isEqualTo("io.fhirstream.functions.EventsCaptureFunction.capture");
    JsonNode trigger = function.path("bindings").get(0);
    assertThat(trigger.path("type").asText()).isEqualTo("eventHubTrigger");
    assertThat(trigger.path("cardinality").asText()).isEqualTo("many");
    assertThat(trigger.path("eventHubName").asText()).isEqualTo("%FHIRSTREAM_SOURCE_EVENTS_TOPIC%");
    assertThat(function.path("retry").path("maxRetryCount").asInt()).isEqualTo(-1);
  }

  @Test
  void theCaptureRunsOnATimerFromItsAppSetting() throws IOException {
    JsonNode function = JSON.readTree(APP.resolve("fhirstream-capture/function.json").toFile());

    assertThat(function.path("entryPoint").asText())
        .isEqualTo("io.fhirstream.functions.CaptureFunction.capture");
    JsonNode trigger = function.path("bindings").get(0);
    assertThat(trigger.path("type").asText()).isEqualTo("timerTrigger");
    assertThat(trigger.path("direction").asText()).isEqualTo("in");
    assertThat(trigger.path("schedule").asText())
        .isEqualTo("%FHIRSTREAM_FUNCTIONS_CAPTURE_SCHEDULE%");
  }

  @Test
  void theAppRunsFromItsJarAndLibAloneWithEveryStore() throws Exception {
    List<String> lib;
    try (Stream<Path> jars = Files.list(APP.resolve("lib"))) {
      lib = jars.map(jar -> jar.getFileName().toString()).sorted().toList();
    }
    // The worker brings the functions library; the in-process broker is the service's only.
    assertThat(lib).noneMatch(name -> name.startsWith("azure-functions-java"));
    assertThat(lib).noneMatch(name -> name.startsWith("kafka_2.13"));

    List<URL> urls = new ArrayList<>();
    urls.add(APP.resolve("fhirstream-functions.jar").toUri().toURL());
    for (String jar : lib) {
      urls.add(APP.resolve("lib").resolve(jar).toUri().toURL());
    }
    // What the worker adds: the functions library, from this test's class path.
    urls.add(
        com.microsoft.azure.functions.ExecutionContext.class
            .getProtectionDomain()
            .getCodeSource()
            .getLocation());
    urls.add(
        com.microsoft.azure.functions.annotation.FunctionName.class
            .getProtectionDomain()
            .getCodeSource()
            .getLocation());
    try (URLClassLoader app =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> writer = app.loadClass("io.fhirstream.functions.WriterFunction");
      Method write =
          Arrays.stream(writer.getMethods())
              .filter(m -> m.getName().equals("write"))
              .findFirst()
              .orElseThrow();
      assertThat(write.getParameterCount()).isEqualTo(4);
      assertThat(writer.getConstructor().newInstance()).isNotNull();

      // The capture step runs the source without the broker's classes, which lib/ leaves out.
      Class<?> capture = app.loadClass("io.fhirstream.functions.CaptureFunction");
      assertThat(capture.getConstructor().newInstance()).isNotNull();
      assertThat(app.loadClass("io.fhirstream.runtime.CaptureStep").getMethods()).isNotEmpty();

      Class<?> factory = app.loadClass("io.fhirstream.api.store.DocumentStoreFactory");
      List<String> stores = new ArrayList<>();
      for (Object store : ServiceLoader.load(factory, app)) {
        stores.add((String) factory.getMethod("name").invoke(store));
      }
      assertThat(stores).contains("sqlite", "postgres", "cosmos", "mongodb");
    }
  }
}
