package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on real components: the demo FHIR server over HTTP, a real Kafka broker, SQLite. */
class PipelineIT {
  @TempDir Path dir;

  @Test
  void storeEqualsServerAfterCreatesUpdatesDeletesAndRecreates() throws Exception {
    try (PipelineFixture fixture = new PipelineFixture(dir);
        Pipeline pipeline = fixture.start()) {
      for (int i = 0; i < 500; i++) {
        fixture.workload.create();
      }
      for (int i = 0; i < 350; i++) {
        fixture.workload.update(); // 350 updates over the live patients: several for some
      }
      for (int i = 0; i < 50; i++) {
        fixture.workload.delete();
      }
      for (int i = 0; i < 5; i++) {
        fixture.workload.recreate();
      }

      fixture.assertStoreEqualsServer(pipeline, fixture.database);
      assertThat(fixture.server.store().countDeleted("Patient")).isEqualTo(45);
    }
  }

  @Test
  void stopAndRestartMidStreamLosesNothing() throws Exception {
    try (PipelineFixture fixture = new PipelineFixture(dir)) {
      Pipeline first = fixture.start();
      for (int i = 0; i < 300; i++) {
        fixture.workload.randomChange();
      }
      first.close(); // mid-stream: some changes captured, some not yet
      for (int i = 0; i < 300; i++) {
        fixture.workload.randomChange();
      }
      try (Pipeline second = fixture.start()) {
        for (int i = 0; i < 100; i++) {
          fixture.workload.randomChange();
        }
        fixture.assertStoreEqualsServer(second, fixture.database);
      }
    }
  }

  @Test
  void replayFromOffsetZeroIntoAFreshStoreIsEqual() throws Exception {
    try (PipelineFixture fixture = new PipelineFixture(dir)) {
      try (Pipeline pipeline = fixture.start()) {
        for (int i = 0; i < 400; i++) {
          fixture.workload.randomChange();
        }
        fixture.assertStoreEqualsServer(pipeline, fixture.database);
      }
      Path fresh = dir.resolve("replayed.db");
      fixture.settings.put("store.sqlite.path", fresh.toString());
      fixture.settings.put("sink.group-id", fixture.prefix + "replay");
      try (Pipeline replay = fixture.start(EnumSet.of(Role.SINK))) {
        fixture.assertStoreEqualsServer(replay, fresh);
      }
    }
  }
}
