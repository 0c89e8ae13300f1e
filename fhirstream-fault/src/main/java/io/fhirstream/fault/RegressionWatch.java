package io.fhirstream.fault;

import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Samples the store while faults happen and counts any document whose version went backwards
 * between two samples: the version guard must make that impossible, whatever is redelivered.
 */
final class RegressionWatch implements AutoCloseable {
  private final Path database;
  private final Thread thread;
  private final Map<String, Long> lastSeen = new HashMap<>();
  private volatile boolean running = true;
  private volatile int regressions;

  RegressionWatch(Path database) {
    this.database = database;
    this.thread = new Thread(this::watch, "regression-watch");
    thread.setDaemon(true);
    thread.start();
  }

  int regressions() {
    return regressions;
  }

  private void watch() {
    while (running) {
      sample();
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    if (!Files.exists(database)) {
      return;
    }
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(database)) {
      if (!reader.hasTable("Patient")) {
        return;
      }
      for (Map.Entry<String, StoredDocument> entry : reader.readAll("Patient").entrySet()) {
        long version = Long.parseLong(entry.getValue().versionId());
        Long previous = lastSeen.put(entry.getKey(), version);
        if (previous != null && version < previous) {
          regressions++;
        }
      }
    } catch (RuntimeException e) {
      // The store may be busy or mid-restart: the next sample reads it again.
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
