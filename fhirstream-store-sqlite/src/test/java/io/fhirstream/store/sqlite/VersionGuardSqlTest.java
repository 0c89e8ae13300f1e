package io.fhirstream.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.VersionOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard in the upsert SQL decides exactly as {@link VersionOrder#isNewer}. */
class VersionGuardSqlTest {
  private static final String[] VERSIONS = {
    null, "0", "1", "2", "9", "10", "01", "a", "b", "1a", "-1", "1".repeat(19), "9".repeat(18)
  };
  private static final Instant T = Instant.parse("2024-05-01T08:00:00.123456789Z");
  private static final Instant[] INSTANTS = {
    null,
    T,
    T.plusNanos(1),
    T.plusMillis(1),
    T.minusSeconds(3600),
    Instant.parse("1969-12-31T23:59:59.999999Z"),
    Instant.parse("1969-12-31T23:59:59.9999995Z"),
  };

  private static ChangeEvent event(String id, String version, Instant lastUpdated, String body) {
    return ChangeEvent.upsert(
        "Patient", id, version, lastUpdated, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sqlGuardAgreesWithVersionOrderOnEveryPair() throws Exception {
    List<String> disagreements = new ArrayList<>();
    int cases = 0;
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:")) {
      DocumentTable table = DocumentTable.open(connection, "Patient");
      List<boolean[]> expectations = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (String storedVersion : VERSIONS) {
        for (Instant storedTime : INSTANTS) {
          for (String incomingVersion : VERSIONS) {
            for (Instant incomingTime : INSTANTS) {
              String id = "c" + cases++;
              table.add(DocumentRow.of(event(id, storedVersion, storedTime, "\"stored\"")));
              expectations.add(
                  new boolean[] {
                    VersionOrder.isNewer(incomingVersion, incomingTime, storedVersion, storedTime)
                  });
              names.add(
                  "incoming "
                      + incomingVersion
                      + "@"
                      + incomingTime
                      + " over "
                      + storedVersion
                      + "@"
                      + storedTime);
            }
          }
        }
      }
      table.execute();
      cases = 0;
      for (String storedVersion : VERSIONS) {
        for (Instant storedTime : INSTANTS) {
          for (String incomingVersion : VERSIONS) {
            for (Instant incomingTime : INSTANTS) {
              table.add(
                  DocumentRow.of(
                      event("c" + cases++, incomingVersion, incomingTime, "\"incoming\"")));
            }
          }
        }
      }
      table.execute();

      try (PreparedStatement query =
              connection.prepareStatement("SELECT id, resource FROM Patient");
          ResultSet rows = query.executeQuery()) {
        int seen = 0;
        while (rows.next()) {
          int index = Integer.parseInt(rows.getString(1).substring(1));
          boolean replaced = rows.getString(2).equals("\"incoming\"");
          if (replaced != expectations.get(index)[0]) {
            disagreements.add(names.get(index) + ": SQL " + (replaced ? "applied" : "kept"));
          }
          seen++;
        }
        assertThat(seen).isEqualTo(cases);
      }
      table.close();
    }
    assertThat(cases).isEqualTo((int) Math.pow(VERSIONS.length * INSTANTS.length, 2));
    assertThat(disagreements).isEmpty();
  }

  @Test
  void rowKeepsMillisAndNanosSoTheyOrderLikeInstants() throws Exception {
    Instant before = Instant.parse("1969-12-31T23:59:59.999999Z");
    DocumentRow row = DocumentRow.of(event("x", "1", before, "{}"));

    assertThat(row.lastUpdatedMs()).isEqualTo(-1L);
    assertThat(row.lastUpdatedNanos()).isEqualTo(999_000L);
    assertThat(row.lastUpdated()).isEqualTo("1969-12-31T23:59:59.999999Z");
    assertThat(Arrays.asList(row.versionNum(), row.deleted())).containsExactly(1L, false);
  }
}
