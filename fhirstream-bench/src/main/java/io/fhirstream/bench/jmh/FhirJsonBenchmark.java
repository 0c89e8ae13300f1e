package io.fhirstream.bench.jmh;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.fhir.FhirJson;
import io.fhirstream.api.fhir.ResourceMeta;
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

/** Reading id, version and time from a whole ~1.5 KB Patient, which tokenises all of it. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class FhirJsonBenchmark {
  private byte[] patient;

  @Setup
  public void setUp() throws BadEventException {
    patient = Fixtures.patient("10042", "3", Fixtures.lastUpdated(42));
    ResourceMeta meta = FhirJson.readMeta(patient);
    if (!"3".equals(meta.versionId()) || meta.lastUpdated() == null) {
      throw new IllegalStateException("the fixture's meta was not read: " + meta);
    }
  }

  @Benchmark
  public ResourceMeta readMeta() throws BadEventException {
    return FhirJson.readMeta(patient);
  }
}
