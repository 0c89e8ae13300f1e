package io.fhirstream.analytics.stream;

import java.util.Objects;

/**
 * The topics the analytics role reads and writes: the hub's resource topics ({@code hubPrefix +
 * type}), its dead-letter topic, and its own outputs under {@code outputPrefix}: {@code
 * view.<view>} (a resource's rows, keyed {@code Type/id}), {@code aggregate.<aggregate>} (result
 * documents keyed by id) and {@code aggregate.<aggregate>.late} (late changes of windowed ones).
 *
 * @param hubPrefix the hub's {@code hub.topic-prefix}, e.g. {@code fhir.}
 * @param deadLetterTopic the hub's {@code hub.dead-letter-topic}
 * @param outputPrefix {@code analytics.topic-prefix}, e.g. {@code fhirstream.analytics.}
 */
public record TopicNames(String hubPrefix, String deadLetterTopic, String outputPrefix) {

  public TopicNames {
    Objects.requireNonNull(hubPrefix, "hubPrefix");
    Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    Objects.requireNonNull(outputPrefix, "outputPrefix");
  }

  /** The topic of a resource type. */
  public String resourceTopic(String type) {
    return hubPrefix + type;
  }

  /** The resource type of a resource topic. */
  public String resourceType(String topic) {
    return topic.startsWith(hubPrefix) ? topic.substring(hubPrefix.length()) : null;
  }

  /** Where a view's rows go, one record per resource change. */
  public String viewTopic(String view) {
    return outputPrefix + "view." + view;
  }

  /** Where an aggregate's result documents go, keyed by id; a removed group is a tombstone. */
  public String aggregateTopic(String aggregate) {
    return outputPrefix + "aggregate." + aggregate;
  }

  /** Where a windowed aggregate's late changes are recorded. */
  public String lateTopic(String aggregate) {
    return aggregateTopic(aggregate) + ".late";
  }

  /** The view a view topic is for, or null. */
  public String viewOf(String topic) {
    String prefix = outputPrefix + "view.";
    return topic.startsWith(prefix) ? topic.substring(prefix.length()) : null;
  }

  /** The aggregate a result topic is for, or null (also for a late topic). */
  public String aggregateOf(String topic) {
    String prefix = outputPrefix + "aggregate.";
    return topic.startsWith(prefix) && !topic.endsWith(".late")
        ? topic.substring(prefix.length())
        : null;
  }
}
