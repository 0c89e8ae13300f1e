package io.fhirstream.runtime.config;

import io.fhirstream.analytics.AnalyticsConfig;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.UnknownKeys;
import io.fhirstream.api.source.ChangeSourceFactory;
import io.fhirstream.api.store.DocumentStoreFactory;
import io.fhirstream.kafka.HubConfig;
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
 * @param analytics the analytics role's settings ({@code analytics.*})
 */
public record Settings(
    RuntimeConfig runtime,
    HubConfig hub,
    ChangeSourceFactory sourceFactory,
    Config sourceConfig,
    DocumentStoreFactory storeFactory,
    Config storeConfig,
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

  /** Every declaration, for unknown-key checks and the generated reference. */
  public static List<ConfigDefinition> definitions() {
    List<ConfigDefinition> all = new ArrayList<>(List.of(RuntimeConfig.DEFINITION));
    sources().forEach(source -> all.add(source.configDefinition()));
    all.add(HubConfig.DEFINITION);
    all.add(AnalyticsConfig.DEFINITION);
    stores().forEach(store -> all.add(store.configDefinition()));
    return all;
  }

  /** Validates the settings of every role. */
  public static Settings parse(Map<String, String> raw) {
    return parse(raw, EnumSet.allOf(Role.class));
  }

  /**
   * Validates everything the given roles use, and rejects keys nobody declares.
   *
   * @throws ConfigException naming the first bad key and its fix
   */
  public static Settings parse(Map<String, String> raw, Set<Role> roles) {
    UnknownKeys.reject(raw, definitions(), HubConfig.PASSTHROUGH_PREFIXES);
    RuntimeConfig runtime = RuntimeConfig.from(RuntimeConfig.DEFINITION.parse(raw));
    ChangeSourceFactory source =
        find(sources(), ChangeSourceFactory::name, runtime.sourceType(), "source.type", "source");
    DocumentStoreFactory store =
        find(stores(), DocumentStoreFactory::name, runtime.storeType(), "store.type", "store");
    boolean usesStore = roles.contains(Role.SINK) || roles.contains(Role.ANALYTICS);
    return new Settings(
        runtime,
        HubConfig.from(HubConfig.DEFINITION.parse(raw)),
        source,
        roles.contains(Role.SOURCE) ? source.configDefinition().parse(raw) : null,
        store,
        usesStore ? store.configDefinition().parse(raw) : null,
        AnalyticsConfig.from(AnalyticsConfig.DEFINITION.parse(raw)));
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
