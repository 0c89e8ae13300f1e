package io.fhirstream.runtime.config;

import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys that were renamed keep working under their old names, with a warning that names the new one:
 * {@code sink.store} is now {@code store.type}, and a store's {@code sink.<store>.*} keys are
 * {@code store.<store>.*}, since the store is shared by the sink role and every tool that reads it
 * back.
 */
final class DeprecatedKeys {
  private static final Logger LOG = LoggerFactory.getLogger(DeprecatedKeys.class);

  /** Old name to new name, exact. */
  private static final Map<String, String> RENAMED = Map.of("sink.store", "store.type");

  /** The old prefix of a store's keys, before {@code store.}. */
  private static final String OLD_STORE_PREFIX = "sink.";

  private final Map<String, String> newNameByOld = new LinkedHashMap<>(RENAMED);

  /** The aliases of the declared keys: every {@code store.<store>.*} also as {@code sink.…}. */
  DeprecatedKeys(Collection<ConfigDefinition> definitions) {
    for (ConfigDefinition definition : definitions) {
      for (ConfigKey key : definition.keys()) {
        if (key.name().startsWith("store.") && !RENAMED.containsValue(key.name())) {
          newNameByOld.put(OLD_STORE_PREFIX + key.name().substring("store.".length()), key.name());
        }
      }
    }
  }

  /** The new name of a deprecated key, or null. */
  String newName(String key) {
    return newNameByOld.get(key);
  }

  /** The old names' environment variables, to their new keys. */
  Map<String, String> newNameByVariable() {
    Map<String, String> out = new LinkedHashMap<>();
    newNameByOld.forEach((old, current) -> out.put(ConfigKey.environmentVariable(old), current));
    return out;
  }

  /**
   * The settings with every deprecated key under its new name, each warned about once. A new name
   * set too wins over the old one.
   */
  Map<String, String> rename(Map<String, String> raw, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach(
        (key, value) -> {
          String current = newName(key);
          if (current == null) {
            out.put(key, value);
            return;
          }
          LOG.warn("{}: setting '{}' is deprecated; use '{}'", where, key, current);
          if (!raw.containsKey(current)) {
            out.put(current, value);
          }
        });
    return out;
  }
}
