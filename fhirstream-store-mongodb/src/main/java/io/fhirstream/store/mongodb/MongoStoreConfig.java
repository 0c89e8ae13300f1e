package io.fhirstream.store.mongodb;

import com.mongodb.ConnectionString;
import com.mongodb.WriteConcern;
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
import java.util.Objects;

/**
 * The settings of the MongoDB store, declared once in {@link #DEFINITION}.
 *
 * @param connectionString the driver's connection string; it often carries a password, so it is
 *     only ever held as a {@link Secret}
 * @param database the database that holds one collection per resource type
 * @param batchSize the most documents sent in one bulk write
 * @param writeConcern what the server acknowledges before a flush returns
 * @param serverSelectionTimeout how long an operation waits for a usable server
 * @param connectTimeout how long opening a connection may take
 * @param readTimeout how long a socket read may wait for the server's answer
 */
public record MongoStoreConfig(
    Secret connectionString,
    String database,
    int batchSize,
    WriteConcern writeConcern,
    Duration serverSelectionTimeout,
    Duration connectTimeout,
    Duration readTimeout) {

  public static final String CONNECTION_STRING = "store.mongodb.connection-string";
  public static final String CONNECTION_STRING_FILE = "store.mongodb.connection-string-file";
  public static final String DATABASE = "store.mongodb.database";
  public static final String BATCH_SIZE = "store.mongodb.batch-size";
  public static final String WRITE_CONCERN = "store.mongodb.write-concern";
  public static final String JOURNAL = "store.mongodb.journal";
  public static final String SERVER_SELECTION_TIMEOUT = "store.mongodb.server-selection-timeout";
  public static final String CONNECT_TIMEOUT = "store.mongodb.connect-timeout";
  public static final String READ_TIMEOUT = "store.mongodb.read-timeout";

  /** MongoDB's own rules for database names, narrowed to characters every flavour accepts. */
  private static final String DATABASE_NAME = "[A-Za-z0-9_-]{1,63}";

  /** The store's keys, all under {@code store.mongodb.}. */
  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("MongoDB store (store.type=mongodb)")
          .define(
              CONNECTION_STRING,
              ConfigType.PASSWORD,
              "",
              "The MongoDB connection string, e.g. mongodb+srv://user:password@cluster.example.net/"
                  + " (MongoDB, Atlas, Azure Cosmos DB for MongoDB, Amazon DocumentDB). Secret: never"
                  + " logged. Set this or "
                  + CONNECTION_STRING_FILE
                  + ".")
          .define(
              CONNECTION_STRING_FILE,
              ConfigType.STRING,
              "",
              "A file holding the connection string (e.g. a mounted Kubernetes secret); used when "
                  + CONNECTION_STRING
                  + " is empty.")
          .define(
              DATABASE,
              ConfigType.STRING,
              "fhirstream",
              value ->
                  ((String) value).matches(DATABASE_NAME)
                      ? null
                      : "must be 1 to 63 letters, digits, '_' or '-'",
              "The database; it holds one collection per FHIR resource type.")
          .define(
              BATCH_SIZE,
              ConfigType.INT,
              "1000",
              value ->
                  (Integer) value >= 1 && (Integer) value <= 100_000
                      ? null
                      : "must be between 1 and 100000",
              "The most documents sent in one unordered bulk write.")
          .define(
              WRITE_CONCERN,
              ConfigType.STRING,
              "majority",
              value ->
                  ((String) value).matches("majority|[1-9][0-9]?")
                      ? null
                      : "must be 'majority' or the number of members (1-99) that acknowledge a"
                          + " write; 0 (unacknowledged) would let a flush return before its writes"
                          + " are durable",
              "What the server acknowledges before a flush returns: 'majority' (survives a primary"
                  + " failover) or a number of replica-set members.")
          .define(
              JOURNAL,
              ConfigType.BOOLEAN,
              "true",
              "Whether acknowledged writes must be in the on-disk journal (j=true).")
          .define(
              SERVER_SELECTION_TIMEOUT,
              ConfigType.DURATION,
              "30s",
              Validators.POSITIVE_DURATION,
              "How long a write waits for a reachable primary before failing as retriable.")
          .define(
              CONNECT_TIMEOUT,
              ConfigType.DURATION,
              "10s",
              Validators.POSITIVE_DURATION,
              "How long opening a connection to a server may take.")
          .define(
              READ_TIMEOUT,
              ConfigType.DURATION,
              "2m",
              Validators.POSITIVE_DURATION,
              "How long a write waits for the server's answer before failing as retriable.")
          .build();

  public MongoStoreConfig {
    Objects.requireNonNull(connectionString, "connectionString");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(writeConcern, "writeConcern");
    Objects.requireNonNull(serverSelectionTimeout, "serverSelectionTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    if (!database.matches(DATABASE_NAME)) {
      throw new IllegalArgumentException(DATABASE + " must be 1 to 63 letters, digits, '_' or '-'");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException(BATCH_SIZE + " must be at least 1");
    }
    if (!writeConcern.isAcknowledged()) {
      throw new IllegalArgumentException(WRITE_CONCERN + " must acknowledge writes");
    }
    parse(connectionString.value(), CONNECTION_STRING);
  }

  /** Reads settings validated by {@link #DEFINITION}, including the connection string file. */
  public static MongoStoreConfig from(Config config) {
    String inline = config.getString(CONNECTION_STRING);
    String file = config.getString(CONNECTION_STRING_FILE).trim();
    String connectionString;
    String key;
    if (!inline.isEmpty()) {
      if (!file.isEmpty()) {
        throw new ConfigException(
            CONNECTION_STRING_FILE,
            "is set as well as " + CONNECTION_STRING + "; set only one of them");
      }
      connectionString = inline;
      key = CONNECTION_STRING;
    } else if (!file.isEmpty()) {
      connectionString = readFile(file);
      key = CONNECTION_STRING_FILE;
    } else {
      throw new ConfigException(
          CONNECTION_STRING,
          "is required: set it (or "
              + CONNECTION_STRING_FILE
              + ") to the MongoDB connection string, e.g. mongodb://host:27017/");
    }
    parse(connectionString, key);
    String w = config.getString(WRITE_CONCERN);
    WriteConcern writeConcern =
        (w.equals("majority") ? WriteConcern.MAJORITY : new WriteConcern(Integer.parseInt(w)))
            .withJournal(config.getBoolean(JOURNAL));
    return new MongoStoreConfig(
        new Secret(connectionString),
        config.getString(DATABASE),
        config.getInt(BATCH_SIZE),
        writeConcern,
        config.getDuration(SERVER_SELECTION_TIMEOUT),
        config.getDuration(CONNECT_TIMEOUT),
        config.getDuration(READ_TIMEOUT));
  }

  /** Settings for a connection string with every other setting at its default. */
  public static MongoStoreConfig of(String connectionString) {
    return new MongoStoreConfig(
        new Secret(connectionString),
        "fhirstream",
        1000,
        WriteConcern.MAJORITY.withJournal(true),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Duration.ofMinutes(2));
  }

  /** The same settings with another database. */
  public MongoStoreConfig withDatabase(String name) {
    return new MongoStoreConfig(
        connectionString,
        name,
        batchSize,
        writeConcern,
        serverSelectionTimeout,
        connectTimeout,
        readTimeout);
  }

  /** The same settings with another server selection timeout (tests shorten it). */
  public MongoStoreConfig withServerSelectionTimeout(Duration timeout) {
    return new MongoStoreConfig(
        connectionString, database, batchSize, writeConcern, timeout, connectTimeout, readTimeout);
  }

  /** The same settings with another batch size. */
  public MongoStoreConfig withBatchSize(int size) {
    return new MongoStoreConfig(
        connectionString,
        database,
        size,
        writeConcern,
        serverSelectionTimeout,
        connectTimeout,
        readTimeout);
  }

  /** The parsed connection string (never printed: its toString hides only the password). */
  ConnectionString parsedConnectionString() {
    return parse(connectionString.value(), CONNECTION_STRING);
  }

  private static ConnectionString parse(String text, String key) {
    try {
      return new ConnectionString(text.trim());
    } catch (IllegalArgumentException e) {
      // The driver's message may quote parts of the string, password included: name the problem
      // only after removing everything that could be a credential.
      throw new ConfigException(
          key,
          "is not a valid MongoDB connection string ("
              + ConnectionStringRedaction.of(text).apply(e.getMessage())
              + "); it must look like mongodb://user:password@host:27017/ or"
              + " mongodb+srv://user:password@cluster.example.net/, with reserved characters in the"
              + " user name and password percent-encoded");
    }
  }

  private static String readFile(String file) {
    Path path = Path.of(file);
    try {
      String text = Files.readString(path, StandardCharsets.UTF_8).trim();
      if (text.isEmpty()) {
        throw new ConfigException(CONNECTION_STRING_FILE, "file " + path + " is empty");
      }
      return text;
    } catch (IOException | SecurityException e) {
      throw new ConfigException(
          CONNECTION_STRING_FILE,
          "cannot read "
              + path.toAbsolutePath()
              + " ("
              + e.getClass().getSimpleName()
              + "); check it exists and is readable by this process");
    }
  }
}
