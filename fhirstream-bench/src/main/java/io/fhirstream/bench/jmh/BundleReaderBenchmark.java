package io.fhirstream.bench.jmh;

import io.fhirstream.source.capture.BundlePage;
import io.fhirstream.source.capture.BundleReader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Capture reading one history page of 1000 Patient entries (about 1.7 MB; one in twenty a
 * deletion). The score is per entry: ops/s are entries/s, pages/s are a thousandth of that.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class BundleReaderBenchmark {
  static final int ENTRIES = 1_000;
  static final int DELETE_EVERY = 20;

  private byte[] page;

  @Setup
  public void setUp() {
    page = Fixtures.historyPage(ENTRIES, DELETE_EVERY);
    BundlePage read = BundleReader.read(page, Fixtures.TYPE);
    long deletions = read.events().stream().filter(e -> e.deleted()).count();
    if (read.events().size() != ENTRIES
        || deletions != ENTRIES / DELETE_EVERY
        || read.skipped() != 0
        || read.next() == null) {
      throw new IllegalStateException(
          "page read as "
              + read.events().size()
              + " events, "
              + deletions
              + " deletions, "
              + read.skipped()
              + " skipped");
    }
  }

  @Benchmark
  @OperationsPerInvocation(ENTRIES)
  public BundlePage bundlePage() {
    return BundleReader.read(page, Fixtures.TYPE);
  }
}
