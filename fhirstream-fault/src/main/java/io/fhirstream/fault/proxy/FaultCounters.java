package io.fhirstream.fault.proxy;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link FaultStats}; safe for concurrent requests. */
final class FaultCounters {
  private final LongAdder requests = new LongAdder();
  private final LongAdder faultable = new LongAdder();
  private final LongAdder forwarded = new LongAdder();
  private final Map<Fault, LongAdder> injected = new EnumMap<>(Fault.class);

  FaultCounters() {
    for (Fault fault : Fault.values()) {
      injected.put(fault, new LongAdder());
    }
  }

  void received(RequestKind kind) {
    requests.increment();
    if (kind.faultable()) {
      faultable.increment();
    }
  }

  void injected(Fault fault) {
    injected.get(fault).increment();
  }

  void forwarded() {
    forwarded.increment();
  }

  FaultStats snapshot() {
    Map<Fault, Long> counts = new EnumMap<>(Fault.class);
    injected.forEach((fault, count) -> counts.put(fault, count.sum()));
    return new FaultStats(requests.sum(), faultable.sum(), forwarded.sum(), counts);
  }
}
