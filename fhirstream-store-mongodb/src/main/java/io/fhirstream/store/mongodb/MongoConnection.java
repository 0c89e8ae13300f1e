package io.fhirstream.store.mongodb;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.fhirstream.api.PipelineException;
import java.util.concurrent.TimeUnit;

/** Makes the driver's client from the store's settings. */
final class MongoConnection {
  private MongoConnection() {}

  /**
   * A client for the connection string, with the store's timeouts and write concern, which take
   * precedence over the same options in the string.
   */
  static MongoClient open(MongoStoreConfig config) {
    ConnectionString connectionString = config.parsedConnectionString();
    MongoClientSettings.Builder settings =
        MongoClientSettings.builder()
            .applyConnectionString(connectionString)
            .applyToClusterSettings(
                cluster ->
                    cluster.serverSelectionTimeout(
                        config.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS))
            .applyToSocketSettings(
                socket ->
                    socket
                        .connectTimeout(
                            (int) config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout((int) config.readTimeout().toMillis(), TimeUnit.MILLISECONDS))
            .writeConcern(config.writeConcern());
    if (connectionString.getApplicationName() == null) {
      settings.applicationName("fhirstream");
    }
    try {
      return MongoClients.create(settings.build());
    } catch (IllegalArgumentException e) {
      // Not chained: the driver's message could quote the connection string.
      throw new PipelineException(
          "cannot create a MongoDB client: "
              + ConnectionStringRedaction.of(config.connectionString().value())
                  .apply(e.getMessage())
              + "; check the options in "
              + MongoStoreConfig.CONNECTION_STRING);
    }
  }

  /** The hosts of the connection string, for messages: never the user or the password. */
  static String hosts(MongoStoreConfig config) {
    return String.join(",", config.parsedConnectionString().getHosts());
  }
}
