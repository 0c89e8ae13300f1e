package io.fhirstream.runtime.config;

import io.fhirstream.analytics.AnalyticsConfig;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigProblems;
import io.fhirstream.api.config.UnknownKeys;
import io.fhirstream.api.source.ChangeSourceFactory;
import io.fhirstream.api.store.DocumentStoreFactory;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClientKeys;
import io.fhirstream.runtime.Role;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;

/**
 * Every component's validated settings, parsed from one raw map. The source and the store are
 * plugins found on the class path by name ({@code source.type}, {@code store.type}); their own
 * settings are parsed only for the roles that use them, so a sink-only instance needs no FHIR
 * server settings, while an unknown key is an error whichever roles run.
 *
 * @param sourceConfig the chosen source's own settings, or null when the source role is off
 * @param storeConfig the chosen store's own settings ({@code store.<store>.*}), or null when no
 *     role uses the store
 * @param ops the operator endpoint's settings
 * @param analytics the analytics role's settings ({@code analytics.*})
 */
public record Settings(
    RuntimeConfig runtime,
    HubConfig hub,
    ChangeSourceFactory sourceFactory,
    Config sourceConfig,
    DocumentStoreFactory storeFactory,
    Config storeConfig,
    OpsConfig ops,
    AnalyticsConfig analytics) {

  /** The sources found on the class path. */
  public static List<ChangeSourceFactory> sources() {
    List<ChangeSourceFactory> sources = new ArrayList<>();
    ServiceLoader.load(ChangeSourceFactory.class).forEach(sources::add);
    return sources;
  }

  /** The stores found on the class path. */
  public static List<DocumentStoreFactory> stores() {
    List<DocumentStoreFactory> stores = new ArrayList<>();
    ServiceLoader.load(DocumentStoreFactory.class).forEach(stores::add);
    return stores;
  }

  /**
   * Every declaration, for unknown-key checks and the generated reference. A key two plugins share
   * (a source built on another's settings) appears once, with the first that declares it.
   */
  public static List<ConfigDefinition> definitions() {
    List<ConfigDefinition> all = new ArrayList<>(List.of(RuntimeConfig.DEFINITION));
    sources().forEach(source -> all.add(source.configDefinition()));
    all.add(HubConfig.DEFINITION);
    all.add(OpsConfig.DEFINITION);
    all.add(AnalyticsConfig.DEFINITION);
    stores().forEach(store -> all.add(store.configDefinition()));
    java.util.Set<String> seen = new java.util.HashSet<>();
    List<ConfigDefinition> distinct = new ArrayList<>();
    for (ConfigDefinition definition : all) {
      ConfigDefinition.Builder own = ConfigDefinition.builder(definition.title());
      for (io.fhirstream.api.config.ConfigKey key : definition.keys()) {
        if (seen.add(key.name())) {
          own.define(key.name(), key.type(), key.defaultValue(), key.validator(), key.doc());
        }
      }
      distinct.add(own.build());
    }
    return distinct;
  }

  /** Validates the settings of every role. */
  public static Settings parse(Map<String, String> raw) {
    return parse(raw, EnumSet.allOf(Role.class));
  }

  /**
   * Validates everything the given roles use, and rejects keys nobody declares.
   *
   * @throws ConfigException naming every bad key, each with its fix
   */
  public static Settings parse(Map<String, String> raw, Set<Role> roles) {
    return parse(raw, roles, true);
  }

  /**
   * Like {@link #parse(Map, Set)}; {@code usesHub} false for a tool that reads the source's or the
   * store's settings but never connects to Kafka (e.g. {@code subscribe}), which then needs no
   * {@code kafka.bootstrap.servers}.
   */
  public static Settings parse(Map<String, String> raw, Set<Role> roles, boolean usesHub) {
    ConfigProblems problems = new ConfigProblems();
    problems.run(() -> UnknownKeys.reject(raw, definitions(), HubConfig.PASSTHROUGH_PREFIXES));
    KafkaClientKeys.problems(raw).forEach(problems::add);
    RuntimeConfig runtime =
        problems.check(() -> RuntimeConfig.from(RuntimeConfig.DEFINITION.parse(raw)));
    HubConfig hub = problems.check(() -> HubConfig.from(HubConfig.DEFINITION.parse(raw)));
    if (usesHub && runtime != null && hub != null) {
      problems.run(() -> checkHubChoice(runtime, hub));
    }
    ChangeSourceFactory source =
        problems.check(
            () ->
                find(
                    sources(),
                    ChangeSourceFactory::name,
                    raw.getOrDefault("source.type", "fhir"),
                    "source.type",
                    "source"));
    DocumentStoreFactory store =
        problems.check(
            () ->
                find(
                    stores(),
                    DocumentStoreFactory::name,
                    raw.getOrDefault("store.type", "sqlite"),
                    "store.type",
                    "store"));
    Config sourceConfig =
        roles.contains(Role.SOURCE) && source != null
            ? problems.check(() -> source.configDefinition().parse(raw))
            : null;
    boolean usesStore = roles.contains(Role.SINK) || roles.contains(Role.ANALYTICS);
    Config storeConfig =
        usesStore && store != null
            ? problems.check(() -> store.configDefinition().parse(raw))
            : null;
    OpsConfig ops = problems.check(() -> OpsConfig.from(OpsConfig.DEFINITION.parse(raw)));
    AnalyticsConfig analytics =
        problems.check(() -> AnalyticsConfig.from(AnalyticsConfig.DEFINITION.parse(raw)));
    problems.throwIfAny();
    return new Settings(runtime, hub, source, sourceConfig, store, storeConfig, ops, analytics);
  }

  /**
   * A pipeline writes to the Kafka it is told about, or to a broker of its own when asked for one:
   * never, silently, to a local broker because a setting was missing or misspelt.
   */
  private static void checkHubChoice(RuntimeConfig runtime, HubConfig hub) {
    if (runtime.embeddedKafka() && hub.hasBootstrapServers()) {
      throw new ConfigException(
          RuntimeConfig.EMBEDDED_KAFKA,
          "is true while a hub is configured (kafka.bootstrap.servers or hub.eventhubs.*); use"
              + " one: remove embedded.kafka.enabled to use that hub");
    }
    if (!runtime.embeddedKafka() && !hub.hasBootstrapServers()) {
      throw new ConfigException(
          "kafka.bootstrap.servers",
          "is required: set it to your Kafka brokers (host:port,...) or as"
              + " FHIRSTREAM_KAFKA_BOOTSTRAP_SERVERS, or configure Azure Event Hubs"
              + " (hub.eventhubs.connection-string); to try fhirstream with a broker inside this"
              + " process, set embedded.kafka.enabled=true");
    }
  }

  private static <T> T find(
      List<T> found, Function<T, String> name, String wanted, String key, String noun) {
    return found.stream()
        .filter(plugin -> name.apply(plugin).equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new ConfigException(
                    key,
                    "no "
                        + noun
                        + " named '"
                        + wanted
                        + "'; available: "
                        + found.stream().map(name).toList()));
  }
}
