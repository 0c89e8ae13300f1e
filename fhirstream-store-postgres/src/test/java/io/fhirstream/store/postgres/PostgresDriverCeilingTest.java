package io.fhirstream.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresDriverCeilingTest {
  private final PostgresTestServer server = PostgresTestServer.shared();

  @Test
  void measuresUpsertsAndLeavesNoScratchTableBehind() throws Exception {
    List<ChangeEvent> events = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      events.add(FhirFixtures.patientVersion("ceiling-" + (i % 250), 1 + i / 250));
    }
    events.add(FhirFixtures.patientDeletion("ceiling-0", 3));
    PostgresStoreConfig config = server.sinkConfig("ceiling").withBatchSize(100);
    try (Connection admin = server.superuser();
        Statement statement = admin.createStatement()) {
      statement.execute(
          "CREATE SCHEMA IF NOT EXISTS ceiling AUTHORIZATION " + PostgresTestServer.SINK_ROLE);
    }

    double rate = PostgresDriverCeiling.upsertsPerSecond(config, events);

    assertThat(rate).isPositive();
    try (Connection admin = server.superuser();
        Statement statement = admin.createStatement();
        ResultSet tables =
            statement.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'ceiling'")) {
      tables.next();
      assertThat(tables.getInt(1)).isZero();
    }
  }
}
