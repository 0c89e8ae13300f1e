package io.fhirstream.source.push;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Secret;
import io.fhirstream.api.config.Validators;
import io.fhirstream.source.http.HttpUrls;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of push mode (FHIR R4 rest-hook Subscriptions), declared once in {@link #DEFINITION}
 * (included in the source's definition). The secret is held as a {@link Secret}, so this record
 * never prints it.
 *
 * @param enabled whether the notification endpoint runs beside the (slower) safety-net polling
 * @param bindAddress the address the endpoint listens on
 * @param port the TCP port, 0 for any free one
 * @param path the path notifications arrive under; {@code {path}/{Type}/{id}} is where rest-hook
 *     servers PUT full resources
 * @param secret the shared secret every notification must carry
 * @param secretHeader the header that carries it; for {@code Authorization} the value is {@code
 *     Bearer <secret>}, for any other header the secret itself
 * @param publicUrl the endpoint's URL as the FHIR server reaches it (written into the
 *     Subscriptions), or empty to use the bound address
 * @param fullResource whether Subscriptions ask for the resource in the notification ({@code
 *     channel.payload=application/fhir+json}) rather than an empty (id-only) notification
 * @param pollInterval the safety-net polling interval while push mode is on
 * @param pushDeletes whether Subscriptions ask HAPI-based servers to notify deletions too
 */
public record PushConfig(
    boolean enabled,
    String bindAddress,
    int port,
    String path,
    Optional<Secret> secret,
    String secretHeader,
    Optional<URI> publicUrl,
    boolean fullResource,
    Duration pollInterval,
    boolean pushDeletes) {

  static final String ENABLED = "source.push.enabled";
  static final String SECRET = "source.push.secret";

  /** The keys, to be included in the source's definition. */
  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("Source: push mode (FHIR Subscriptions, rest-hook)")
          .define(
              ENABLED,
              ConfigType.BOOLEAN,
              "false",
              "Runs an HTTP endpoint that receives the FHIR server's rest-hook notifications and"
                  + " publishes each change at once; polling continues every"
                  + " source.push.poll-interval as the safety net (servers do not push deletions"
                  + " by default and drop notifications after a few retries). Create the"
                  + " Subscriptions with `fhirstream subscribe`.")
          .define(
              "source.push.bind-address",
              ConfigType.STRING,
              "127.0.0.1",
              Validators.NON_EMPTY,
              "Address the notification endpoint listens on; 0.0.0.0 for every interface.")
          .define(
              "source.push.port",
              ConfigType.INT,
              "8085",
              value -> (Integer) value < 0 || (Integer) value > 65535 ? "must be 0 to 65535" : null,
              "TCP port of the notification endpoint; 0 picks a free one.")
          .define(
              "source.push.path",
              ConfigType.STRING,
              "/fhir-notify",
              value -> pathProblem((String) value),
              "Path of the notification endpoint. Full-resource notifications arrive as PUT"
                  + " {path}/{Type}/{id}, id-only ones as POST {path} or {path}/{Type}/{id}.")
          .define(
              SECRET,
              ConfigType.PASSWORD,
              "",
              "Shared secret every notification must carry (written into the Subscriptions'"
                  + " channel.header); required with push mode. Prefer the environment variable.")
          .define(
              "source.push.secret-header",
              ConfigType.STRING,
              "Authorization",
              Validators.NON_EMPTY,
              "Header that carries the secret: for Authorization the value is `Bearer <secret>`,"
                  + " for any other header (e.g. X-Fhirstream-Secret) the secret itself.")
          .define(
              "source.push.public-url",
              ConfigType.STRING,
              "",
              value -> ((String) value).isEmpty() ? null : HttpUrls.problem((String) value),
              "The endpoint's URL as the FHIR server reaches it (through a proxy or ingress),"
                  + " e.g. https://fhirstream.example.org/fhir-notify; written into the"
                  + " Subscriptions. Empty: http://{bind-address}:{port}{path}.")
          .define(
              "source.push.payload",
              ConfigType.STRING,
              "full",
              Validators.oneOf(List.of("full", "id-only")),
              "What `fhirstream subscribe` asks the server to send: full (the resource, as"
                  + " application/fhir+json) or id-only (an empty notification; fhirstream then"
                  + " reads the resource, or polls at once when the notification names none).")
          .define(
              "source.push.poll-interval",
              ConfigType.DURATION,
              "60s",
              Validators.POSITIVE_DURATION,
              "Safety-net polling interval while push mode is on (replaces source.poll-interval).")
          .define(
              "source.push.deletes",
              ConfigType.BOOLEAN,
              "true",
              "Whether `fhirstream subscribe` asks the server to notify deletions too (HAPI's"
                  + " channel extension subscription-send-delete-messages; other servers ignore"
                  + " it, and the safety-net poll finds their deletions).")
          .build();

  /**
   * Reads the validated settings.
   *
   * @throws ConfigException when push mode is on without a secret
   */
  public static PushConfig from(Config config) {
    boolean enabled = config.getBoolean(ENABLED);
    String secret = config.getString(SECRET);
    if (enabled && secret.isBlank()) {
      throw new ConfigException(
          SECRET,
          "is required when "
              + ENABLED
              + "=true: set a long random value (e.g. `openssl rand -hex 32`), preferably as"
              + " FHIRSTREAM_SOURCE_PUSH_SECRET");
    }
    String publicUrl = config.getString("source.push.public-url");
    String path = config.getString("source.push.path");
    return new PushConfig(
        enabled,
        config.getString("source.push.bind-address"),
        config.getInt("source.push.port"),
        path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path,
        secret.isBlank() ? Optional.empty() : Optional.of(new Secret(secret)),
        config.getString("source.push.secret-header"),
        publicUrl.isEmpty() ? Optional.empty() : Optional.of(URI.create(stripSlash(publicUrl))),
        config.getString("source.push.payload").equals("full"),
        config.getDuration("source.push.poll-interval"),
        config.getBoolean("source.push.deletes"));
  }

  /** The endpoint URL to write into Subscriptions, given the port actually bound. */
  public URI endpointUrl(int boundPort) {
    return publicUrl.orElseGet(
        () -> URI.create("http://" + hostForUrl(bindAddress) + ":" + boundPort + path));
  }

  /**
   * The {@code channel.header} line that carries the secret, e.g. {@code Authorization: Bearer
   * ...}. Contains the secret: never log it.
   */
  public String headerLine() {
    return secretHeader + ": " + expectedHeaderValue();
  }

  /** The value the secret header must have. Contains the secret: never log it. */
  String expectedHeaderValue() {
    String value = secret.orElseThrow(() -> new IllegalStateException("no secret")).value();
    return secretHeader.equalsIgnoreCase("Authorization") ? "Bearer " + value : value;
  }

  private static String hostForUrl(String address) {
    String host = address.equals("0.0.0.0") ? "127.0.0.1" : address;
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String pathProblem(String path) {
    if (!path.startsWith("/")) {
      return "must start with /";
    }
    return path.matches("/[A-Za-z0-9._~/-]*") ? null : "may hold only letters, digits, . _ ~ - /";
  }
}
