package io.fhirstream.fault;

import io.fhirstream.api.store.StoredDocument;
import java.util.HashMap;
import java.util.Map;

/**
 * Samples the store while faults happen and counts any document whose version went backwards
 * between two samples: the version guard must make that impossible, whatever is redelivered.
 */
final class RegressionWatch implements AutoCloseable {
  private final Map<String, String> storeSettings;
  private final Thread thread;
  private final Map<String, Long> lastSeen = new HashMap<>();
  private volatile boolean running = true;
  private volatile int regressions;

  /** Watches the store the settings name, read through its own reader. */
  RegressionWatch(Map<String, String> storeSettings) {
    this.storeSettings = Map.copyOf(storeSettings);
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
    try {
      for (Map.Entry<String, StoredDocument> entry :
          StoreUnderTest.patients(storeSettings).entrySet()) {
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
