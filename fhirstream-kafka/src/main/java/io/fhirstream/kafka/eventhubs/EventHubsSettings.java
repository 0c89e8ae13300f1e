package io.fhirstream.kafka.eventhubs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka client settings an Event Hubs namespace needs, derived from a connection string or a
 * namespace. They are defaults: {@code kafka.*} settings the user gives win over them.
 */
public final class EventHubsSettings {
  /** Event Hubs' Kafka endpoint listens on this port, always with TLS. */
  public static final int KAFKA_PORT = 9093;

  /** Event Hubs' largest event on the Standard and Premium tiers, less the batch overhead. */
  static final String MAX_REQUEST_SIZE = "1046528";

  private EventHubsSettings() {}

  /** SASL PLAIN with the user name {@code $ConnectionString} and the whole string as password. */
  public static Map<String, String> client(EventHubsConnectionString connection) {
    Map<String, String> out = common(connection.namespaceHost());
    out.put("sasl.mechanism", "PLAIN");
    out.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"$ConnectionString\" password=\""
            + connection.value().value()
            + "\";");
    return out;
  }

  /** OAUTHBEARER with Microsoft Entra ID tokens from azure-identity's DefaultAzureCredential. */
  public static Map<String, String> clientWithEntraId(String namespaceHost) {
    Map<String, String> out = common(namespaceHost);
    out.put("sasl.mechanism", "OAUTHBEARER");
    out.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
    out.put("sasl.login.callback.handler.class", EntraIdLoginCallbackHandler.class.getName());
    return out;
  }

  /** Producer limits of Event Hubs. */
  public static Map<String, String> producer() {
    return Map.of("max.request.size", MAX_REQUEST_SIZE);
  }

  /** {@code myns} or {@code myns.servicebus.windows.net} → the fully qualified namespace. */
  public static String namespaceHost(String namespace) {
    String name = namespace.trim().toLowerCase(java.util.Locale.ROOT);
    return name.contains(".") ? name : name + ".servicebus.windows.net";
  }

  private static Map<String, String> common(String namespaceHost) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("bootstrap.servers", namespaceHost + ":" + KAFKA_PORT);
    out.put("security.protocol", "SASL_SSL");
    // Event Hubs closes connections idle for 240 s; close them first, and refresh metadata as
    // often, so a client never sends on a connection the service already dropped.
    out.put("connections.max.idle.ms", "180000");
    out.put("metadata.max.age.ms", "180000");
    out.put("request.timeout.ms", "60000");
    return out;
  }
}
