package io.fhirstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogTest {
  @TempDir Path directory;

  @Test
  void readsPausesAndTheHeapLeftPerMinute() throws Exception {
    Path log =
        Files.writeString(
            directory.resolve("gc.log"),
            String.join(
                "\n",
                "[0.010s] Using G1",
                "[5.000s] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 100M->30M(512M) 4.000ms",
                "[61.500s] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 200M->45M(512M) 6.500ms",
                "[62.000s] GC(2) Pause Remark 60M->50M(512M) 1.250ms",
                "[70.000s] GC(3) Pause Young (Concurrent Start) (G1 Humongous Allocation)"
                    + " 210M->41M(512M) 3.000ms",
                "[130.000s] GC(4) Pause Full (G1 Compaction Pause) 300M->35M(512M) 120.000ms",
                "[130.100s] GC(4) Concurrent Mark Cycle 55.000ms",
                ""));

    GcLog gc = GcLog.parse(log);

    assertThat(gc.pauses()).hasSize(5);
    assertThat(gc.pauses().get(2).kind()).isEqualTo("Pause Remark");
    assertThat(gc.totalMillis()).isEqualTo(134.75);
    assertThat(gc.maxMillis()).isEqualTo(120.0);
    assertThat(gc.fullCollections()).isEqualTo(1);
    assertThat(gc.heapFloorPerMinute())
        .containsExactly(
            java.util.Map.entry(0L, 30L),
            java.util.Map.entry(1L, 41L),
            java.util.Map.entry(2L, 35L));
  }
}
