package io.fhirstream.source;

import io.fhirstream.api.metrics.Meters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress gauges of one type's first load, for the operator view: {@value #DONE} (resources
 * published so far) and {@value #TOTAL} (what the server counted, {@code -1} while it has not
 * said), tagged {@code type}. Once the load is complete the total is set to what was done, so a
 * finished load reads as such however much the server's count was off (deletions meanwhile).
 */
final class FirstLoadProgress {
  static final String DONE = Meters.SOURCE_FIRST_LOAD_DONE;
  static final String TOTAL = Meters.SOURCE_FIRST_LOAD_EXPECTED;

  // Micrometer holds gauge state weakly: these fields keep it.
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong total = new AtomicLong(-1);

  FirstLoadProgress(String type, MeterRegistry metrics) {
    Gauge.builder(DONE, done, AtomicLong::get)
        .description("Resources the first load of a type has published so far")
        .tag(Meters.TYPE, type)
        .register(metrics);
    Gauge.builder(TOTAL, total, AtomicLong::get)
        .description("Resources the first load of a type will publish; -1 while unknown")
        .tag(Meters.TYPE, type)
        .register(metrics);
  }

  /** Starts (or resumes, with what an earlier attempt had done) a load. */
  void start(long doneBefore) {
    done.set(doneBefore);
  }

  void published(int count) {
    done.addAndGet(count);
  }

  void total(long resources) {
    total.set(resources);
  }

  long done() {
    return done.get();
  }

  void complete() {
    total.set(done.get());
  }
}
