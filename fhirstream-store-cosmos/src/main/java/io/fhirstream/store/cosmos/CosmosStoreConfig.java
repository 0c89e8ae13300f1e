package io.fhirstream.store.cosmos;

import com.azure.cosmos.ConsistencyLevel;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Secret;
import io.fhirstream.api.config.Validators;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The settings of the Azure Cosmos DB (NoSQL API) store, declared once in {@link #DEFINITION}.
 *
 * @param endpoint the account endpoint, {@code https://<account>.documents.azure.com:443/}
 * @param auth how the writer authenticates
 * @param key the account key with {@link Auth#KEY}, else {@code null}
 * @param database the database holding one container per resource type
 * @param containerPrefix put before the resource type to name its container
 * @param partitionKeyPath the containers' partition key path; the resource id is its value
 * @param consistency the consistency level requested for reads
 * @param mode how the SDK talks to the service
 * @param preferredRegions regions to use first, nearest first
 * @param batchSize the most operations the SDK sends in one bulk request
 * @param requestTimeout the longest one read or bulk call may take before failing as retriable
 * @param tombstoneTtl how long a deletion's tombstone is kept; zero keeps it forever
 */
public record CosmosStoreConfig(
    String endpoint,
    Auth auth,
    Secret key,
    String database,
    String containerPrefix,
    String partitionKeyPath,
    ConsistencyLevel consistency,
    Mode mode,
    List<String> preferredRegions,
    int batchSize,
    Duration requestTimeout,
    Duration tombstoneTtl) {

  public static final String ENDPOINT = "store.cosmos.endpoint";
  public static final String AUTH = "store.cosmos.auth";
  public static final String KEY = "store.cosmos.key";
  public static final String KEY_FILE = "store.cosmos.key-file";
  public static final String DATABASE = "store.cosmos.database";
  public static final String CONTAINER_PREFIX = "store.cosmos.container-prefix";
  public static final String PARTITION_KEY_PATH = "store.cosmos.partition-key-path";
  public static final String CONSISTENCY_LEVEL = "store.cosmos.consistency-level";
  public static final String CONNECTION_MODE = "store.cosmos.connection-mode";
  public static final String PREFERRED_REGIONS = "store.cosmos.preferred-regions";
  public static final String BATCH_SIZE = "store.cosmos.batch-size";
  public static final String REQUEST_TIMEOUT = "store.cosmos.request-timeout";
  public static final String TOMBSTONE_TTL = "store.cosmos.tombstone-ttl";

  /** Cosmos DB takes at most 100 operations in one batch request. */
  public static final int MAX_BATCH_SIZE = 100;

  /** How the writer proves who it is. */
  public enum Auth {
    /** The account's primary or secondary key. */
    KEY,
    /** Microsoft Entra ID through azure-identity's DefaultAzureCredential; no key. */
    ENTRA_ID
  }

  /** The SDK's connection mode. */
  public enum Mode {
    /** TCP straight to the replicas: the fastest, Azure's own service only. */
    DIRECT,
    /** HTTPS through the account's gateway: through firewalls, and what emulators speak. */
    GATEWAY
  }

  /** The store's keys, all under {@code store.cosmos.}. */
  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("Azure Cosmos DB store (store.type=cosmos)")
          .define(
              ENDPOINT,
              ConfigType.STRING,
              null,
              value ->
                  value.toString().startsWith("https://")
                      ? null
                      : "must be the account's https:// endpoint, e.g."
                          + " https://<account>.documents.azure.com:443/",
              "The Cosmos DB account endpoint (NoSQL API).")
          .define(
              AUTH,
              ConfigType.STRING,
              "key",
              Validators.oneOf(List.of("key", "entra-id")),
              "key: the account key ("
                  + KEY
                  + " or "
                  + KEY_FILE
                  + "). entra-id: Microsoft Entra"
                  + " ID via DefaultAzureCredential (managed identity, workload identity, Azure"
                  + " CLI, AZURE_* environment variables); the identity needs the Cosmos DB Built-in"
                  + " Data Contributor role.")
          .define(
              KEY,
              ConfigType.PASSWORD,
              "",
              "The account key, with "
                  + AUTH
                  + "=key. Prefer the environment variable or "
                  + KEY_FILE
                  + " to the configuration file.")
          .define(
              KEY_FILE,
              ConfigType.STRING,
              "",
              "A file holding the account key (e.g. a mounted secret), with " + AUTH + "=key.")
          .define(
              DATABASE,
              ConfigType.STRING,
              "fhirstream",
              Validators.NON_EMPTY,
              "The database; created if missing (with shared throughput left unset).")
          .define(
              CONTAINER_PREFIX,
              ConfigType.STRING,
              "",
              value ->
                  value.toString().matches("[A-Za-z0-9_-]{0,64}")
                      ? null
                      : "must be letters, digits, '_' or '-' (at most 64)",
              "Put before the resource type to name its container, e.g. fhir- gives fhir-Patient.")
          .define(
              PARTITION_KEY_PATH,
              ConfigType.STRING,
              "/id",
              value ->
                  value.toString().matches("/[A-Za-z_][A-Za-z0-9_]{0,63}")
                      ? null
                      : "must be one top-level property such as /id or /pk",
              "The partition key path of the containers the writer creates and expects. Its value is"
                  + " always the resource id (a deletion carries nothing else); with a path other"
                  + " than /id the writer copies the id into that property, which must not be a FHIR"
                  + " element.")
          .define(
              CONSISTENCY_LEVEL,
              ConfigType.STRING,
              "session",
              Validators.oneOf(
                  List.of(
                      "strong", "bounded-staleness", "session", "consistent-prefix", "eventual")),
              "The consistency the client asks for; it can only be weaker than the account's.")
          .define(
              CONNECTION_MODE,
              ConfigType.STRING,
              "direct",
              Validators.oneOf(List.of("direct", "gateway")),
              "direct: TCP to the replicas (fastest, Azure only). gateway: HTTPS on port 443"
                  + " through the gateway (firewalls, emulators).")
          .define(
              PREFERRED_REGIONS,
              ConfigType.LIST,
              "",
              "Azure regions to use first, nearest first, e.g. West Europe,North Europe.")
          .define(
              BATCH_SIZE,
              ConfigType.INT,
              "100",
              value ->
                  (Integer) value >= 1 && (Integer) value <= MAX_BATCH_SIZE
                      ? null
                      : "must be between 1 and " + MAX_BATCH_SIZE + " (Cosmos DB's batch limit)",
              "The most operations the SDK puts in one bulk request.")
          .define(
              REQUEST_TIMEOUT,
              ConfigType.DURATION,
              "30s",
              Validators.POSITIVE_DURATION,
              "The longest one read of a batch's versions may take, SDK retries included, before"
                  + " the batch fails as retriable.")
          .define(
              TOMBSTONE_TTL,
              ConfigType.DURATION,
              "0s",
              value ->
                  ((Duration) value).isNegative()
                      ? "must be zero (keep tombstones) or longer"
                      : null,
              "How long a deletion's tombstone is kept (Cosmos DB time to live); 0s keeps it"
                  + " forever. Make it longer than the event hub's retention: an old version"
                  + " replayed after its tombstone expired would be written again.")
          .build();

  public CosmosStoreConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(containerPrefix, "containerPrefix");
    Objects.requireNonNull(partitionKeyPath, "partitionKeyPath");
    Objects.requireNonNull(consistency, "consistency");
    Objects.requireNonNull(mode, "mode");
    preferredRegions = List.copyOf(preferredRegions);
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(tombstoneTtl, "tombstoneTtl");
    if (auth == Auth.KEY && (key == null || key.value().isBlank())) {
      throw new ConfigException(
          KEY,
          "is required with "
              + AUTH
              + "=key: set it, its environment variable FHIRSTREAM_STORE_COSMOS_KEY or "
              + KEY_FILE
              + ", or use "
              + AUTH
              + "=entra-id");
    }
    if (auth == Auth.ENTRA_ID && key != null) {
      throw new ConfigException(
          KEY, "must not be set with " + AUTH + "=entra-id: remove it, or use " + AUTH + "=key");
    }
  }

  /** Settings for a key-authenticated account, with every other setting at its default. */
  public static CosmosStoreConfig withKey(String endpoint, Secret key) {
    return new CosmosStoreConfig(
        endpoint,
        Auth.KEY,
        key,
        "fhirstream",
        "",
        "/id",
        ConsistencyLevel.SESSION,
        Mode.DIRECT,
        List.of(),
        MAX_BATCH_SIZE,
        Duration.ofSeconds(30),
        Duration.ZERO);
  }

  /** Reads settings validated by {@link #DEFINITION}. */
  public static CosmosStoreConfig from(Config config) {
    Auth auth = "entra-id".equals(config.getString(AUTH)) ? Auth.ENTRA_ID : Auth.KEY;
    return new CosmosStoreConfig(
        config.getString(ENDPOINT),
        auth,
        key(config),
        config.getString(DATABASE),
        config.getString(CONTAINER_PREFIX),
        config.getString(PARTITION_KEY_PATH),
        consistency(config.getString(CONSISTENCY_LEVEL)),
        Mode.valueOf(config.getString(CONNECTION_MODE).toUpperCase(Locale.ROOT)),
        config.getList(PREFERRED_REGIONS),
        config.getInt(BATCH_SIZE),
        config.getDuration(REQUEST_TIMEOUT),
        config.getDuration(TOMBSTONE_TTL));
  }

  private static Secret key(Config config) {
    String inline = config.getString(KEY);
    String file = config.getString(KEY_FILE);
    if (!inline.isBlank() && !file.isBlank()) {
      throw new ConfigException(KEY_FILE, "set either " + KEY + " or " + KEY_FILE + ", not both");
    }
    if (!inline.isBlank()) {
      return new Secret(inline);
    }
    if (file.isBlank()) {
      return null;
    }
    try {
      return new Secret(Files.readString(Path.of(file), StandardCharsets.UTF_8).trim());
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          KEY_FILE,
          "cannot read " + file + " (" + e.getClass().getSimpleName() + "); fix the path");
    }
  }

  private static ConsistencyLevel consistency(String name) {
    return ConsistencyLevel.valueOf(name.replace('-', '_').toUpperCase(Locale.ROOT));
  }

  /** The container holding one resource type. */
  public String containerName(String resourceType) {
    return containerPrefix + resourceType;
  }

  /** The partition key's property name, e.g. {@code id} for {@code /id}. */
  public String partitionKeyProperty() {
    return partitionKeyPath.substring(1);
  }

  /** The same settings in gateway mode, as emulators and the tests need. */
  public CosmosStoreConfig inGatewayMode() {
    return new CosmosStoreConfig(
        endpoint,
        auth,
        key,
        database,
        containerPrefix,
        partitionKeyPath,
        consistency,
        Mode.GATEWAY,
        preferredRegions,
        batchSize,
        requestTimeout,
        tombstoneTtl);
  }

  /** The same settings with another database. */
  public CosmosStoreConfig withDatabase(String name) {
    return new CosmosStoreConfig(
        endpoint,
        auth,
        key,
        name,
        containerPrefix,
        partitionKeyPath,
        consistency,
        mode,
        preferredRegions,
        batchSize,
        requestTimeout,
        tombstoneTtl);
  }

  /** The same settings with another request timeout. */
  public CosmosStoreConfig withRequestTimeout(Duration timeout) {
    return new CosmosStoreConfig(
        endpoint,
        auth,
        key,
        database,
        containerPrefix,
        partitionKeyPath,
        consistency,
        mode,
        preferredRegions,
        batchSize,
        timeout,
        tombstoneTtl);
  }

  /** The same settings with another key. */
  public CosmosStoreConfig withKey(Secret newKey) {
    return new CosmosStoreConfig(
        endpoint,
        auth,
        newKey,
        database,
        containerPrefix,
        partitionKeyPath,
        consistency,
        mode,
        preferredRegions,
        batchSize,
        requestTimeout,
        tombstoneTtl);
  }

  @Override
  public String toString() {
    // Records print every component; the Secret already hides itself, this keeps it explicit.
    return "CosmosStoreConfig[endpoint="
        + endpoint
        + ", auth="
        + auth
        + ", key="
        + (key == null ? "none" : "[hidden]")
        + ", database="
        + database
        + ", containerPrefix="
        + containerPrefix
        + ", partitionKeyPath="
        + partitionKeyPath
        + ", mode="
        + mode
        + "]";
  }
}
