package io.fhirstream.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the dashboard shows that meters do not say: the runtime implements it. Rates, totals,
 * latency percentiles and consumer lag come from the meters in {@link MeterNames} instead, so that
 * the dashboard and {@code /metrics} always agree.
 *
 * <p>The endpoint calls each method once a second from one thread of its own, whatever the number
 * of viewers, and shows an empty section (with a warning) when a method throws. Keep every method
 * cheap: serve a cached value and refresh it elsewhere if the store is slow to count. Everything
 * returned is shown unauthenticated: it must be free of PHI (no resource bodies, ids, names) and of
 * secrets. Every method has an empty default, so an implementation overrides only what it knows.
 */
public interface DashboardSource {

  /** A source with nothing to add: the dashboard shows the meters alone. */
  DashboardSource NONE = new DashboardSource() {};

  /** Documents in the store by resource type, e.g. {@code Patient → 1204}. */
  default Map<String, Long> storeCounts() {
    return Map.of();
  }

  /** The latest dead letters, newest first, at most {@code limit}. */
  default List<DeadLetter> latestDeadLetters(int limit) {
    return List.of();
  }

  /** The first load's progress per resource type; empty once it is done or when there is none. */
  default List<FirstLoad> firstLoad() {
    return List.of();
  }

  /** Analytics aggregates to chart, in display order; empty when analytics is off. */
  default List<Aggregate> aggregates() {
    return List.of();
  }

  /**
   * One dead-lettered event, described without its payload.
   *
   * @param time when it was dead-lettered
   * @param topic the topic it came from (null when unknown)
   * @param reason why, as PHI-free text (the dead-letter header's reason)
   */
  record DeadLetter(Instant time, String topic, String reason) {
    public DeadLetter {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The first load of one resource type.
   *
   * @param done resources loaded so far
   * @param total resources to load, or -1 while the server has not said
   */
  record FirstLoad(String type, long done, long total) {
    public FirstLoad {
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * A named analytics aggregate, e.g. "Encounters by class", with its groups in display order.
   *
   * @param unit what the values count, e.g. "encounters" (may be null)
   */
  record Aggregate(String name, String unit, List<Group> groups) {
    public Aggregate {
      Objects.requireNonNull(name, "name");
      groups = List.copyOf(groups);
    }
  }

  /** One group of an aggregate: its key (e.g. "ambulatory") and value. */
  record Group(String key, double value) {
    public Group {
      Objects.requireNonNull(key, "key");
    }
  }
}
