package io.fhirstream.bench.jmh;

import io.fhirstream.api.VersionOrder;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The version guard every store applies per write: {@code numeric} version ids (what most servers
 * send) compare as integers; {@code opaque} ones fall back to {@code meta.lastUpdated}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class VersionOrderBenchmark {
  @Param({"numeric", "opaque"})
  public String versions;

  // Not final, so the JIT cannot fold the comparison into a constant.
  private String incomingVersion;
  private String storedVersion;
  private Instant incomingLastUpdated;
  private Instant storedLastUpdated;

  @Setup
  public void setUp() {
    boolean numeric = versions.equals("numeric");
    incomingVersion = numeric ? "17" : "c0a8f3e1-7b2d";
    storedVersion = numeric ? "16" : "9e41d7a2-51c0";
    incomingLastUpdated = Fixtures.lastUpdated(17);
    storedLastUpdated = Fixtures.lastUpdated(16);
    if (!VersionOrder.isNewer(
        incomingVersion, incomingLastUpdated, storedVersion, storedLastUpdated)) {
      throw new IllegalStateException("the incoming version should win");
    }
  }

  @Benchmark
  public boolean versionGuard() {
    return VersionOrder.isNewer(
        incomingVersion, incomingLastUpdated, storedVersion, storedLastUpdated);
  }
}
