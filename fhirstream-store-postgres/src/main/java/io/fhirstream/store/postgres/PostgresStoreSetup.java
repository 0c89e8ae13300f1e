package io.fhirstream.store.postgres;

import io.fhirstream.api.PipelineException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What {@link PostgresDocumentWriter#open} checks and creates before any write: a server and
 * database that can hold every FHIR document, and the schema. Tables are created on the first event
 * of their type ({@link JsonbTable#createIfMissing}).
 */
final class PostgresStoreSetup {
  /** INSERT ... ON CONFLICT arrived in 9.5. */
  private static final int OLDEST_SERVER = 90500;

  private PostgresStoreSetup() {}

  /**
   * @throws PipelineException naming the fix when the server or database cannot hold the store
   * @throws SQLException as the driver reports it
   */
  static void prepare(Connection connection, String schema, PostgresConnector connector)
      throws SQLException {
    int version = Integer.parseInt(setting(connection, "server_version_num"));
    if (version < OLDEST_SERVER) {
      throw new PipelineException(
          "PostgreSQL server "
              + connector.where()
              + " is version "
              + version
              + "; the store needs 9.5 or later (INSERT ... ON CONFLICT)");
    }
    String encoding = setting(connection, "server_encoding");
    if (!encoding.equalsIgnoreCase("UTF8")) {
      throw new PipelineException(
          "database "
              + connector.where()
              + " uses encoding "
              + encoding
              + "; jsonb holds every FHIR document only in a UTF8 database: create one with"
              + " CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0 and point "
              + PostgresStoreConfig.URL
              + " at it");
    }
    if (!schemaExists(connection, schema)) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + '"');
      }
    }
    connection.commit();
  }

  private static String setting(Connection connection, String name) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT current_setting(?)")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    }
  }

  private static boolean schemaExists(Connection connection, String schema) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      query.setString(1, schema);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }
}
