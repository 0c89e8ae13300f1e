package io.fhirstream.app.config;

import io.fhirstream.api.DocumentSinkFactory;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.UnknownKeys;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.source.SourceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Every component's validated settings, parsed from one raw map.
 *
 * @param storeConfig the chosen store's own settings ({@code sink.<store>.*})
 */
public record Settings(
    SourceConfig source,
    HubConfig hub,
    AppConfig app,
    DocumentSinkFactory storeFactory,
    Config storeConfig) {

  /** The stores found on the class path, by name. */
  public static List<DocumentSinkFactory> stores() {
    List<DocumentSinkFactory> stores = new ArrayList<>();
    ServiceLoader.load(DocumentSinkFactory.class).forEach(stores::add);
    return stores;
  }

  /** Every declaration, for unknown-key checks and the generated reference. */
  public static List<ConfigDefinition> definitions() {
    List<ConfigDefinition> all =
        new ArrayList<>(
            List.of(SourceConfig.DEFINITION, HubConfig.DEFINITION, AppConfig.DEFINITION));
    stores().forEach(store -> all.add(store.configDefinition()));
    return all;
  }

  /**
   * Validates everything at once.
   *
   * @throws ConfigException naming the first bad key and its fix
   */
  public static Settings parse(Map<String, String> raw) {
    UnknownKeys.reject(raw, definitions(), HubConfig.PASSTHROUGH_PREFIXES);
    AppConfig app = AppConfig.from(AppConfig.DEFINITION.parse(raw));
    DocumentSinkFactory store =
        stores().stream()
            .filter(s -> s.name().equals(app.store()))
            .findFirst()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "sink.store",
                        "no store named '"
                            + app.store()
                            + "'; available: "
                            + stores().stream().map(DocumentSinkFactory::name).toList()));
    return new Settings(
        SourceConfig.from(SourceConfig.DEFINITION.parse(raw)),
        HubConfig.from(HubConfig.DEFINITION.parse(raw)),
        app,
        store,
        store.configDefinition().parse(raw));
  }
}
