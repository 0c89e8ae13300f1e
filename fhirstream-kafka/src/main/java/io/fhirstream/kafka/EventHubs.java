package io.fhirstream.kafka;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.kafka.eventhubs.EventHubsConnectionString;
import io.fhirstream.kafka.eventhubs.EventHubsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * An Azure Event Hubs namespace as the hub, and how fhirstream signs in to it.
 *
 * <p>Where the connection string comes from, first found wins: {@value #CONNECTION_STRING} (file,
 * {@code FHIRSTREAM_HUB_EVENTHUBS_CONNECTION_STRING} or {@code --set}), then the file named by
 * {@value #CONNECTION_STRING_FILE}, then — only with {@code hub.eventhubs.auth=connection-string} —
 * the {@value #ENVIRONMENT_VARIABLE} environment variable. That variable is opt-in so one left over
 * in a shell never sends {@code demo}, or a pipeline configured for another Kafka, to Azure.
 *
 * @param namespaceHost e.g. {@code myns.servicebus.windows.net}
 * @param connection the connection string, empty with Entra ID
 * @param source the setting or variable the credential came from, for error messages
 * @param credentialsOverridden whether the user's own {@code kafka.sasl.jaas.config} replaces ours
 */
public record EventHubs(
    String namespaceHost,
    Optional<EventHubsConnectionString> connection,
    String source,
    boolean credentialsOverridden) {

  public static final String CONNECTION_STRING = "hub.eventhubs.connection-string";
  public static final String CONNECTION_STRING_FILE = "hub.eventhubs.connection-string-file";
  public static final String AUTH = "hub.eventhubs.auth";
  public static final String NAMESPACE = "hub.eventhubs.namespace";

  /** The variable Azure's Event Hubs samples read the connection string from. */
  public static final String ENVIRONMENT_VARIABLE = "EVENTHUB_CONNECTION_STRING";

  /**
   * The Event Hubs settings in force, if any.
   *
   * @param kafka the user's {@code kafka.*} settings, without the prefix
   * @throws ConfigException naming the key at fault, never echoing a secret
   */
  static Optional<EventHubs> from(
      Config config, Map<String, String> environment, Map<String, String> kafka) {
    String inline = config.getString(CONNECTION_STRING);
    String file = config.getString(CONNECTION_STRING_FILE).trim();
    String namespace = config.getString(NAMESPACE).trim();
    boolean overridden = kafka.containsKey("sasl.jaas.config");
    if (config.getString(AUTH).equals("entra-id")) {
      if (!inline.isBlank() || !file.isEmpty()) {
        throw new ConfigException(
            AUTH,
            "is entra-id, but a connection string is set too; remove "
                + (inline.isBlank() ? CONNECTION_STRING_FILE : CONNECTION_STRING)
                + " or set "
                + AUTH
                + "=connection-string");
      }
      if (namespace.isEmpty()) {
        throw new ConfigException(
            NAMESPACE,
            "is required with "
                + AUTH
                + "=entra-id: the namespace's NAME or"
                + " NAME.servicebus.windows.net");
      }
      return Optional.of(
          new EventHubs(
              EventHubsSettings.namespaceHost(namespace), Optional.empty(), AUTH, overridden));
    }
    if (!inline.isBlank() && !file.isEmpty()) {
      throw new ConfigException(
          CONNECTION_STRING_FILE,
          "is set as well as " + CONNECTION_STRING + "; keep only one of them");
    }
    String text;
    String source;
    if (!inline.isBlank()) {
      text = inline;
      source = CONNECTION_STRING;
    } else if (!file.isEmpty()) {
      text = read(Path.of(file));
      source = CONNECTION_STRING_FILE;
    } else if (config.getString(AUTH).equals("connection-string")) {
      text = environment.getOrDefault(ENVIRONMENT_VARIABLE, "");
      source = ENVIRONMENT_VARIABLE;
      if (text.isBlank()) {
        throw new ConfigException(
            AUTH,
            "is connection-string but no connection string is set; set "
                + CONNECTION_STRING
                + " (or FHIRSTREAM_HUB_EVENTHUBS_CONNECTION_STRING), "
                + CONNECTION_STRING_FILE
                + ", or the "
                + ENVIRONMENT_VARIABLE
                + " environment variable");
      }
    } else {
      if (!namespace.isEmpty()) {
        throw new ConfigException(
            NAMESPACE,
            "is set but there is no connection string; set "
                + CONNECTION_STRING
                + " or "
                + CONNECTION_STRING_FILE
                + ", or "
                + AUTH
                + "=entra-id");
      }
      return Optional.empty();
    }
    EventHubsConnectionString connection = EventHubsConnectionString.parse(text, source);
    return Optional.of(
        new EventHubs(connection.namespaceHost(), Optional.of(connection), source, overridden));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigException(
          CONNECTION_STRING_FILE,
          "cannot read "
              + file.toAbsolutePath()
              + " ("
              + e.getClass().getSimpleName()
              + "); check the path and that fhirstream may read it");
    }
  }

  /** Client settings for the namespace; {@code kafka.*} settings are laid over them. */
  Map<String, String> clientSettings() {
    return connection
        .map(EventHubsSettings::client)
        .orElseGet(() -> EventHubsSettings.clientWithEntraId(namespaceHost));
  }

  Map<String, String> producerSettings() {
    return EventHubsSettings.producer();
  }

  /** Whether fhirstream signs in with Microsoft Entra ID rather than a connection string. */
  public boolean entraId() {
    return connection.isEmpty();
  }

  /** What to check when the namespace refuses fhirstream, for error messages. */
  String credentialSettings() {
    return entraId()
        ? "the Entra ID identity (DefaultAzureCredential) and its role on namespace "
            + namespaceHost
            + " (Azure Event Hubs Data Owner, or Data Sender and Data Receiver)"
        : source + " (a connection string of namespace " + namespaceHost + ")";
  }

  @Override
  public String toString() {
    return "EventHubs[" + namespaceHost + ", " + (entraId() ? "entra-id" : source) + "]";
  }
}
