package io.fhirstream.kafka.eventhubs;

import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.Secret;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An Azure Event Hubs connection string ({@code
 * Endpoint=sb://NAMESPACE.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…}),
 * checked for shape. Error messages name the setting the string came from, never its value; {@link
 * #toString()} shows only the namespace.
 *
 * @param namespaceHost the fully qualified namespace, e.g. {@code myns.servicebus.windows.net}
 * @param value the whole connection string: Event Hubs' Kafka endpoint takes it as the SASL PLAIN
 *     password
 */
public record EventHubsConnectionString(String namespaceHost, Secret value) {

  /**
   * Parses and checks a connection string.
   *
   * @param key the setting it came from, named in errors
   * @throws ConfigException naming {@code key} and the fix, without the value
   */
  public static EventHubsConnectionString parse(String text, String key) {
    Map<String, String> parts = parts(text.trim(), key);
    String endpoint = parts.get("endpoint");
    if (endpoint == null) {
      throw new ConfigException(
          key,
          "has no Endpoint=sb://NAMESPACE.servicebus.windows.net/ part; copy the whole connection"
              + " string of a namespace's shared access policy from the Azure portal");
    }
    String host = host(endpoint, key);
    boolean keyPair =
        parts.containsKey("sharedaccesskeyname") && parts.containsKey("sharedaccesskey");
    if (!keyPair && !parts.containsKey("sharedaccesssignature")) {
      throw new ConfigException(
          key,
          "has no SharedAccessKeyName and SharedAccessKey (nor a SharedAccessSignature); copy the"
              + " whole connection string of a namespace's shared access policy, or use"
              + " hub.eventhubs.auth=entra-id");
    }
    if (parts.containsKey("entitypath")) {
      throw new ConfigException(
          key,
          "is scoped to one event hub (it has EntityPath), but fhirstream uses several (a topic per"
              + " resource type, the dead-letter and the cursor topic); use the connection string"
              + " of a shared access policy on the namespace (claims Send and Listen, and Manage"
              + " to let fhirstream create the topics)");
    }
    return new EventHubsConnectionString(host, new Secret(text.trim()));
  }

  /** The namespace's name, the first label of its host. */
  public String namespace() {
    return namespaceHost.substring(
        0, namespaceHost.indexOf('.') < 0 ? namespaceHost.length() : namespaceHost.indexOf('.'));
  }

  private static Map<String, String> parts(String text, String key) {
    if (text.indexOf('"') >= 0 || text.indexOf('\\') >= 0 || text.contains("\n")) {
      throw new ConfigException(
          key,
          "contains a quote, backslash or line break, which no Event Hubs connection string has;"
              + " copy it again from the Azure portal, without surrounding quotes");
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            key,
            "is not a connection string (expected Name=value parts separated by ';'); copy the"
                + " whole connection string from the Azure portal");
      }
      // Keys ignore case, as in the Azure SDKs; a value may contain '=' (base64 padding).
      parts.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1));
    }
    return parts;
  }

  private static String host(String endpoint, String key) {
    String rest = endpoint.trim();
    if (!rest.regionMatches(true, 0, "sb://", 0, 5)) {
      throw new ConfigException(
          key,
          "has an Endpoint that does not start with sb://; expected Endpoint=sb://NAMESPACE.servicebus.windows.net/");
    }
    rest = rest.substring(5);
    int slash = rest.indexOf('/');
    String host = (slash < 0 ? rest : rest.substring(0, slash)).toLowerCase(Locale.ROOT);
    if (!host.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
      throw new ConfigException(
          key,
          "has an Endpoint without a valid host; expected Endpoint=sb://NAMESPACE.servicebus.windows.net/");
    }
    return host;
  }

  @Override
  public String toString() {
    return "EventHubsConnectionString[" + namespaceHost + "]";
  }
}
