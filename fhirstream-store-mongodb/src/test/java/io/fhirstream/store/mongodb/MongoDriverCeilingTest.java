package io.fhirstream.store.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MongoDriverCeilingTest {

  @Test
  void measuresPlainUpsertsAndLeavesNoScratchCollection() {
    MongoTestServer server = MongoTestServer.shared();
    List<ChangeEvent> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      events.add(FhirFixtures.patientVersion("c" + i, 1 + i % 2));
    }
    events.add(FhirFixtures.patientDeletion("c0", 9));

    double rate =
        MongoDriverCeiling.upsertsPerSecond(server.config("ceiling").withBatchSize(20), events);

    assertThat(rate).isPositive();
    try (MongoClient client = MongoClients.create(server.connectionString())) {
      assertThat(client.getDatabase("ceiling").listCollectionNames().into(new ArrayList<>()))
          .isEmpty();
    }
  }

  @Test
  void testServerRunsAsAProcessUntilItsInputCloses() throws Exception {
    Process process =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                MongoTestServer.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      String line;
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        line = out.readLine();
        assertThat(line)
            .matches("store\\.mongodb\\.connection-string=mongodb://127\\.0\\.0\\.1:\\d+/");
        String connectionString = line.substring(line.indexOf('=') + 1);
        try (MongoClient client = MongoClients.create(connectionString)) {
          client
              .getDatabase("launched")
              .getCollection("Patient")
              .insertOne(new org.bson.Document());
          assertThat(client.getDatabase("launched").getCollection("Patient").countDocuments())
              .isEqualTo(1);
        }
        process.getOutputStream().close();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      process.destroyForcibly();
    }
  }
}
