package io.fhirstream.kafka;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the hub's secrets (SASL passwords, JAAS configurations, key and trust store passwords,
 * the Event Hubs connection string) from text taken from a Kafka client's exception before it goes
 * into our own messages. Kafka hides its password-typed settings itself; this catches the rest,
 * e.g. a JAAS parser quoting what it could not parse.
 */
final class HubSecrets {
  private static final Pattern QUOTED_OPTION = Pattern.compile("=\\s*\"([^\"]+)\"");
  private final List<String> secrets;

  private HubSecrets(List<String> secrets) {
    this.secrets = secrets;
  }

  static HubSecrets of(HubConfig hub) {
    List<String> secrets = new ArrayList<>();
    for (Map<String, String> settings : List.of(hub.client(), hub.producer(), hub.consumer())) {
      settings.forEach(
          (key, value) -> {
            if (value == null || value.isBlank()) {
              return;
            }
            if (key.endsWith("jaas.config")) {
              secrets.add(value);
              Matcher quoted = QUOTED_OPTION.matcher(value);
              while (quoted.find()) {
                secrets.add(quoted.group(1));
              }
            } else if (key.contains("password") || key.endsWith(".key") || key.contains("secret")) {
              secrets.add(value);
            }
          });
    }
    hub.eventHubs()
        .flatMap(EventHubs::connection)
        .ifPresent(connection -> secrets.add(connection.value().value()));
    // Longest first, so a secret containing another is hidden whole.
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    return new HubSecrets(List.copyOf(secrets));
  }

  /** The text with every known secret replaced by {@code [hidden]}. */
  String apply(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      if (secret.length() >= 4) {
        out = out.replace(secret, "[hidden]");
      }
    }
    return out;
  }
}
