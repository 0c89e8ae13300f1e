package io.fhirstream.fault;

import io.fhirstream.fault.proxy.Fault;
import io.fhirstream.fault.proxy.FaultPlan;
import io.fhirstream.fault.proxy.FaultStats;
import io.fhirstream.fault.proxy.FaultyProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The pipeline reads the FHIR server through a fault-injecting proxy: throttling with Retry-After
 * in seconds and as an HTTP-date, 500s, connection resets, truncated pages, 10 s stalls (longer
 * than the pipeline's request timeout) and expired paging links.
 */
final class FhirFaultScenario implements Scenario {
  @Override
  public String name() {
    return "fhir-faults";
  }

  @Override
  public String description() {
    return "capture through a proxy that answers reads of history, searches and paging links with"
        + " 429 (Retry-After in seconds), 503 (Retry-After as an HTTP-date), 500, connection"
        + " resets, truncated bodies, 10 s stalls and 410 for paging links";
  }

  static FaultPlan mix() {
    return FaultPlan.builder()
        .probability(Fault.TOO_MANY_REQUESTS, 0.05)
        .probability(Fault.SERVICE_UNAVAILABLE, 0.05)
        .probability(Fault.INTERNAL_ERROR, 0.05)
        .probability(Fault.CONNECTION_RESET, 0.05)
        .probability(Fault.TRUNCATED_BODY, 0.05)
        .probability(Fault.STALL, 0.02)
        .probability(Fault.EXPIRED_PAGE, 0.2)
        .stallDuration(Duration.ofSeconds(10))
        .build();
  }

  /**
   * Each fault alone until the pipeline has met it once, so every kind is proven in every run; the
   * mix then continues.
   */
  private static void everyFaultAtLeastOnce(FaultyProxy proxy) throws InterruptedException {
    List<Fault> order = new ArrayList<>(List.of(Fault.EXPIRED_PAGE));
    order.addAll(EnumSet.complementOf(EnumSet.of(Fault.EXPIRED_PAGE)));
    for (Fault fault : order) {
      // Paging links appear only while changes stream in (windows larger than a page), so go first
      // with them, and at one in two: always expiring them is, rightly, fatal after a few restarts.
      proxy.setFaults(
          fault == Fault.EXPIRED_PAGE
              ? FaultPlan.builder().probability(fault, 0.5).build()
              : FaultPlan.always(fault));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (proxy.stats().injected(fault) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
    proxy.setFaults(mix());
  }

  @Override
  public ScenarioResult run(Cluster cluster, Profile profile, CanaryLedger canaries)
      throws Exception {
    long started = System.nanoTime();
    int changes = Math.max(3000, profile.changes() / 5);
    try (FaultyProxy proxy =
            FaultyProxy.builder()
                .upstream(URI.create(cluster.fhirUrl))
                .faults(mix())
                .seed(606)
                .build()
                .start();
        RegressionWatch watch = new RegressionWatch(cluster.store.settings(name()))) {
      Map<String, String> settings = cluster.settings(name(), proxy.baseUri().toString());
      settings.put("source.page-size", "50"); // more pages, more paging links to expire
      ManagedProcess pipeline = cluster.pipeline(name(), settings, null);
      WorkloadThread workload =
          new WorkloadThread(cluster.fhirUrl, 505, changes, profile.rate()).start();
      everyFaultAtLeastOnce(proxy);
      long done = workload.join();
      canaries.addAll(workload.canaries());
      Thread.sleep(5000); // a little longer under faults, then let it drain cleanly
      proxy.setFaults(FaultPlan.none());
      Verdict verdict = cluster.awaitConsistent(name(), watch, Duration.ofMinutes(3));
      String notes = pipeline.alive() ? null : "FAILED: the pipeline process exited";
      pipeline.stopClean();
      FaultStats stats = proxy.stats();
      String injected =
          stats.injected().entrySet().stream()
              .filter(e -> e.getValue() > 0)
              .map(e -> e.getValue() + " × " + e.getKey().name().toLowerCase().replace('_', ' '))
              .collect(Collectors.joining(", "));
      return new ScenarioResult(
          name(),
          description(),
          done,
          stats.totalInjected() + " faults in " + stats.faultable() + " reads: " + injected,
          verdict,
          (System.nanoTime() - started) / 1e9,
          notes);
    }
  }
}
