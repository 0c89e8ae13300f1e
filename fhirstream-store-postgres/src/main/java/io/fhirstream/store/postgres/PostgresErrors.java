package io.fhirstream.store.postgres;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns SQLSTATEs into the SPI's kinds of failure. The runtime owns retries, so whatever a later
 * attempt on a new connection can get past is retriable; what needs a person (credentials,
 * privileges, a schema someone changed) stops the writer with the fix. Messages use the server's
 * primary message only: details may quote the data being written.
 */
final class PostgresErrors {
  private PostgresErrors() {}

  /** The first SQLSTATE in the exception, its batch chain or its causes, or "" if none. */
  static String sqlState(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        for (SQLException next = sql; next != null; next = next.getNextException()) {
          if (next.getSQLState() != null && !next.getSQLState().isEmpty()) {
            return next.getSQLState();
          }
        }
      }
    }
    return "";
  }

  /** Whether the failure is transient: a new attempt on a new connection may succeed. */
  static boolean isRetriable(String state) {
    return state.startsWith("08") // connection exception
        || state.startsWith("53") // insufficient resources: disk full, out of memory, too many
        || state.equals("40001") // serialization failure
        || state.equals("40P01") // deadlock detected
        || state.equals("57P01") // admin shutdown
        || state.equals("57P02") // crash shutdown
        || state.equals("57P03") // cannot connect now (starting up, recovering)
        || state.equals("57014") // query canceled, e.g. statement_timeout
        || state.equals("55P03") // lock not available (lock_timeout)
        || state.equals("25006") // read-only transaction: a standby after a failover
        || state.equals("58030"); // I/O error on the server
  }

  /**
   * Whether the server refused one row on its merits (its JSON, its values), so that the row goes
   * to the dead letters and the others are written: a data exception (class 22) or a program limit
   * such as nesting depth (class 54).
   */
  static boolean isRefusalOfOneDocument(String state) {
    return state.startsWith("22") || state.startsWith("54");
  }

  /** The dead-letter reason for a refused row; never quotes the row. */
  static String refusalReason(String state) {
    String why =
        switch (state) {
          case "22P05" ->
              "a JSON string holds the escape \\u0000 (or another escape jsonb cannot store)";
          case "22P02" ->
              "the resource body is not valid JSON to PostgreSQL (e.g. an unpaired surrogate"
                  + " escape)";
          case "22021" -> "the resource body is not valid UTF-8";
          case "22003" -> "a number in the resource is beyond the range of PostgreSQL's numeric";
          case "22007", "22008" -> "meta.lastUpdated is outside the range of timestamptz";
          case "54001" -> "the resource is nested too deeply for PostgreSQL";
          case "54000" -> "the resource is too large for a jsonb value";
          default -> "the value cannot be stored";
        };
    return "PostgreSQL refused the resource (SQLSTATE " + state + "): " + why;
  }

  /**
   * @param doing what was being done, e.g. "writing 500 events"
   */
  static RuntimeException translate(SQLException e, String doing, PostgresConnector connector) {
    String state = sqlState(e);
    String where = " while " + doing + " on " + connector.where();
    String server = connector.redact(primaryMessage(e));
    if (isRetriable(state)) {
      return new RetriableException(
          "PostgreSQL unavailable (SQLSTATE "
              + state
              + ": "
              + server
              + ")"
              + where
              + "; it reconnects on the next attempt",
          e);
    }
    String fix =
        switch (state.length() >= 2 ? state.substring(0, 2) : state) {
          case "28" ->
              "; check "
                  + PostgresStoreConfig.USER
                  + " and "
                  + PostgresStoreConfig.PASSWORD
                  + " (or "
                  + PostgresStoreConfig.PASSWORD_FILE
                  + ") and the server's pg_hba.conf";
          case "3D" -> "; create the database or correct " + PostgresStoreConfig.URL;
          case "42" ->
              state.equals("42501")
                  ? "; grant the writer's role the privileges listed in docs/stores/postgres.md"
                  : "; the table does not match the layout in docs/stores/postgres.md: fix or"
                      + " drop it, or set "
                      + PostgresStoreConfig.SCHEMA
                      + " to another schema";
          default -> "";
        };
    return new PipelineException(
        "PostgreSQL failed (SQLSTATE " + state + ": " + server + ")" + where + fix, e);
  }

  /** The server's one-line message without detail, hint or position; else the driver's. */
  private static String primaryMessage(SQLException e) {
    for (SQLException next = e; next != null; next = next.getNextException()) {
      if (next instanceof PSQLException psql) {
        ServerErrorMessage server = psql.getServerErrorMessage();
        if (server != null && server.getMessage() != null) {
          return server.getMessage();
        }
      }
    }
    String message = e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
