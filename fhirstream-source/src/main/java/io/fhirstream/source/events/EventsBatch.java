package io.fhirstream.source.events;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.source.SourceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of Health Data Services event messages into the hub: parsed ({@link AhdsEvents}),
 * planned ({@link EventPlan}), the versions read from the FHIR server ({@link VersionReader}) and
 * deletions made tombstones, all published and acknowledged when {@link #deliver} returns. Used by
 * the events source's loop and by the Azure Function triggered by the same events.
 *
 * <p>Thread-safe: batches are delivered one at a time.
 */
public final class EventsBatch {
  private static final Logger LOG = LoggerFactory.getLogger(EventsBatch.class);

  private final String account;
  private final Set<String> types;
  private final VersionReader reader;
  private final EventPublisher publisher;
  private final PublishedVersions published = new PublishedVersions(100_000);
  private final Counter received;
  private final Counter otherAccount;
  private final Counter otherType;
  private final Counter dropped;
  private final Counter unreadable;
  private final Counter publishedCount;

  /**
   * @param types the types captured; events of others are ignored
   * @param readers where versions are read, several at once
   */
  public EventsBatch(
      SourceConfig fhir,
      Set<String> types,
      EventPublisher publisher,
      JsonLimits limits,
      ExecutorService readers,
      MeterRegistry metrics) {
    this.account = EventsChangeSource.account(fhir.baseUrl());
    this.types = Set.copyOf(types);
    this.reader =
        new VersionReader(
            fhir.newHttpClient(Integer.MAX_VALUE, fhir.newCredentials()), limits, readers);
    this.publisher = publisher;
    received = counter(metrics, "received", "FHIR events read from the hub");
    otherAccount = counter(metrics, "other-account", "events of another FHIR service, ignored");
    otherType = counter(metrics, "other-type", "events of types not captured, ignored");
    dropped = counter(metrics, "dropped", "duplicate, superseded or already published versions");
    unreadable = counter(metrics, "unreadable", "messages that are not FHIR events, skipped");
    publishedCount = counter(metrics, "published", "versions and deletions published from events");
  }

  /** The plan of a batch, its counts recorded; for {@link #deliver(EventPlan)} to publish. */
  public synchronized EventPlan plan(List<byte[]> messages, List<String> positions) {
    List<FhirResourceEvent> parsed = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      try {
        parsed.addAll(AhdsEvents.parse(messages.get(i)));
      } catch (BadEventException e) {
        unreadable.increment();
        LOG.warn("skipping the message at {}: {}", positions.get(i), e.getMessage());
      }
    }
    received.increment(parsed.size());
    EventPlan plan = EventPlan.of(parsed, account, types, published);
    otherAccount.increment(plan.otherAccount());
    otherType.increment(plan.otherType());
    dropped.increment(plan.dropped());
    return plan;
  }

  /**
   * Reads and publishes what the plan names; acknowledged by the hub when this returns.
   *
   * @throws io.fhirstream.api.RetriableException when the FHIR server or the hub is away for now;
   *     deliver the same plan again later
   */
  public synchronized int deliver(EventPlan plan) {
    List<ChangeEvent> batch = new ArrayList<>(reader.read(plan.reads()));
    for (FhirResourceEvent deletion : plan.deletions()) {
      batch.add(
          ChangeEvent.delete(
              deletion.resourceType(), deletion.id(), deletion.versionId(), deletion.time()));
    }
    if (!batch.isEmpty()) {
      publisher.publish(batch);
      publishedCount.increment(batch.size());
    }
    plan.reads().forEach(published::published);
    plan.deletions().forEach(published::published);
    return batch.size();
  }

  private static Counter counter(MeterRegistry metrics, String outcome, String description) {
    return Counter.builder("fhirstream.source.events")
        .tag("outcome", outcome)
        .description(description)
        .register(metrics);
  }
}
