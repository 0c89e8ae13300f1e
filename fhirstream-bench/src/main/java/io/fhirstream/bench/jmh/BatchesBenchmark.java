package io.fhirstream.bench.jmh;

import io.fhirstream.api.Batches;
import io.fhirstream.api.ChangeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Collapsing a sink batch of 2000 events to the newest per resource. One event in five repeats an
 * earlier id with another version, older or newer, and one in twenty is a deletion.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class BatchesBenchmark {
  static final int BATCH = 2_000;

  private List<ChangeEvent> batch;

  @Setup
  public void setUp() {
    Random random = new Random(20_261_120L);
    byte[] body = Fixtures.patient("10042", "1", Fixtures.lastUpdated(0));
    batch = new ArrayList<>(BATCH);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      boolean repeat = !ids.isEmpty() && random.nextInt(5) == 0;
      String id = repeat ? ids.get(random.nextInt(ids.size())) : Integer.toString(10_000 + i);
      if (!repeat) {
        ids.add(id);
      }
      String version = Integer.toString(1 + random.nextInt(9));
      Instant lastUpdated = Fixtures.lastUpdated(i);
      // The body's own meta is irrelevant here: the guard reads the event's fields.
      batch.add(
          random.nextInt(20) == 0
              ? ChangeEvent.delete(Fixtures.TYPE, id, version, lastUpdated)
              : ChangeEvent.upsert(Fixtures.TYPE, id, version, lastUpdated, body));
    }
    int newest = Batches.newestPerResource(batch).size();
    if (newest != ids.size()) {
      throw new IllegalStateException(newest + " resources kept, expected " + ids.size());
    }
  }

  @Benchmark
  public List<ChangeEvent> batchBuild() {
    return Batches.newestPerResource(batch);
  }
}
