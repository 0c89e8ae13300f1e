package io.fhirstream.fault.proxy;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of what a {@link FaultyProxy} has done since it was built.
 *
 * @param requests every request received
 * @param faultable the requests a fault could be injected into (GETs of history, type searches and
 *     {@code _getpages} links); each drew once from the plan
 * @param forwarded the requests sent on to the upstream server, including the stalled (once their
 *     delay is over) and the truncated ones
 * @param injected per fault, how many requests got it
 */
public record FaultStats(long requests, long faultable, long forwarded, Map<Fault, Long> injected) {
  public FaultStats {
    EnumMap<Fault, Long> all = new EnumMap<>(Fault.class);
    for (Fault fault : Fault.values()) {
      all.put(fault, injected.getOrDefault(fault, 0L));
    }
    injected = Map.copyOf(all);
  }

  /** How many requests got {@code fault}. */
  public long injected(Fault fault) {
    return injected.get(fault);
  }

  /** How many requests got any fault. */
  public long totalInjected() {
    return injected.values().stream().mapToLong(Long::longValue).sum();
  }
}
