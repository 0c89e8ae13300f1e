package io.fhirstream.fault;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.api.store.DocumentStoreFactory;
import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.store.postgres.PostgresStoreConfig;
import io.fhirstream.store.postgres.PostgresTestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The store the pipelines under test write to, one per scenario (a file, a schema), and the one way
 * the harness reads it back: the store's own {@link DocumentReader}, as every check does.
 */
final class StoreUnderTest implements AutoCloseable {
  private final String type;
  private final Function<String, Map<String, String>> settings;
  private final AutoCloseable server;

  private StoreUnderTest(
      String type, Function<String, Map<String, String>> settings, AutoCloseable server) {
    this.type = type;
    this.settings = settings;
    this.server = server;
  }

  /** {@code sqlite} (a file per scenario in the work directory) or {@code postgres}. */
  static StoreUnderTest named(String type, Path workDir) throws IOException {
    return switch (type) {
      case "sqlite" -> sqlite(workDir);
      case "postgres" -> postgres(workDir);
      default ->
          throw new IllegalArgumentException("the harness runs on sqlite or postgres, not " + type);
    };
  }

  private static StoreUnderTest sqlite(Path workDir) {
    return new StoreUnderTest(
        "sqlite",
        scenario ->
            Map.of(
                "store.type",
                "sqlite",
                "store.sqlite.path",
                workDir.resolve(scenario + ".db").toString()),
        () -> {});
  }

  /** A real PostgreSQL on 127.0.0.1, started here and stopped by {@link #close()}. */
  private static StoreUnderTest postgres(Path workDir) throws IOException {
    PostgresTestServer server = PostgresTestServer.start();
    Path passwordFile = workDir.resolve("postgres-password");
    Files.writeString(passwordFile, server.sinkPassword(), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    return new StoreUnderTest(
        "postgres",
        scenario -> {
          Map<String, String> settings = new LinkedHashMap<>();
          settings.put("store.type", "postgres");
          settings.put(PostgresStoreConfig.URL, server.url());
          settings.put(PostgresStoreConfig.USER, PostgresTestServer.SINK_ROLE);
          settings.put(PostgresStoreConfig.PASSWORD_FILE, passwordFile.toString());
          settings.put(PostgresStoreConfig.SCHEMA, "fault_" + scenario.replace('-', '_'));
          return settings;
        },
        server);
  }

  String type() {
    return type;
  }

  /** The settings that point a pipeline at the scenario's store. */
  Map<String, String> settings(String scenario) {
    return new LinkedHashMap<>(settings.apply(scenario));
  }

  /** The scenario's patients in the store; empty before a pipeline has created the store. */
  Map<String, StoredDocument> patients(String scenario) {
    return patients(settings(scenario));
  }

  /** The patients in the store the settings name (e.g. a scenario's own override). */
  static Map<String, StoredDocument> patients(Map<String, String> storeSettings) {
    DocumentStoreFactory factory = factory(storeSettings.get("store.type"));
    try (DocumentReader reader =
        factory.createReader(factory.configDefinition().parse(storeSettings))) {
      return reader.readAll("Patient");
    } catch (PipelineException e) {
      return Map.of(); // not created yet: nothing written
    }
  }

  private static DocumentStoreFactory factory(String type) {
    for (DocumentStoreFactory factory : ServiceLoader.load(DocumentStoreFactory.class)) {
      if (factory.name().equals(type)) {
        return factory;
      }
    }
    throw new IllegalStateException("no store named " + type + " on the harness's class path");
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
