package io.fhirstream.store.postgres;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.VersionOrder;
import io.fhirstream.api.results.ColumnType;
import io.fhirstream.api.results.JsonColumns;
import io.fhirstream.api.results.ResultBatch;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces the rows of a chunk of resources in one view, inside the caller's transaction, in three
 * round trips whatever the chunk's size:
 *
 * <ol>
 *   <li>one multi-row upsert of the resources' versions into {@code view_versions} under the
 *       document tables' guard ({@link JsonbTable#upsertSql}), {@code RETURNING} the keys whose
 *       version it stored: those are the resources whose rows are replaced;
 *   <li>one {@code DELETE} of those resources' rows;
 *   <li>one JDBC batch of their new rows (rewritten by the driver into multi-row inserts).
 * </ol>
 */
final class ViewRowsWrite {
  private final ViewTable view;
  private final String upsertVersions;
  private final String deleteRows;
  private final String insertRow;

  ViewRowsWrite(ResultSchema schema, ViewTable view) {
    this.view = view;
    this.upsertVersions =
        "INSERT INTO "
            + schema.versions()
            + " AS stored (view, resource_key, version_id, version_num, last_updated,"
            + " last_updated_nanos, deleted)"
            + " SELECT ?, k, v, n, t::timestamptz, ns, d"
            + " FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::integer[],"
            + " ?::boolean[]) AS incoming (k, v, n, t, ns, d)"
            + " ON CONFLICT (view, resource_key) DO UPDATE SET version_id = EXCLUDED.version_id,"
            + " version_num = EXCLUDED.version_num, last_updated = EXCLUDED.last_updated,"
            + " last_updated_nanos = EXCLUDED.last_updated_nanos, deleted = EXCLUDED.deleted"
            + " WHERE CASE"
            + " WHEN EXCLUDED.version_num IS NOT NULL AND stored.version_num IS NOT NULL"
            + " THEN EXCLUDED.version_num > stored.version_num"
            + " WHEN EXCLUDED.last_updated IS NOT NULL AND stored.last_updated IS NOT NULL"
            + " THEN (EXCLUDED.last_updated, EXCLUDED.last_updated_nanos)"
            + " > (stored.last_updated, stored.last_updated_nanos)"
            + " ELSE false END"
            + " RETURNING resource_key";
    String table = schema.table(view.name());
    this.deleteRows =
        "DELETE FROM "
            + table
            + " WHERE "
            + ResultSchema.quote(ResultSchema.RESOURCE_KEY)
            + " = ANY(?::text[])";
    StringBuilder insert =
        new StringBuilder("INSERT INTO ")
            .append(table)
            .append(" (")
            .append(ResultSchema.quote(ResultSchema.RESOURCE_KEY))
            .append(", ")
            .append(ResultSchema.quote(ResultSchema.ROW));
    StringBuilder values = new StringBuilder("?, ?");
    for (ViewTable.Column column : view.columns()) {
      insert.append(", ").append(ResultSchema.quote(column.name()));
      values.append(column.type() == ColumnType.JSON ? ", ?::jsonb" : ", ?");
    }
    this.insertRow = insert.append(") VALUES (").append(values).append(')').toString();
  }

  /** Replaces the rows of those resources whose version is newer than the stored one. */
  void apply(Connection connection, List<ResultBatch.Rows> resources) throws SQLException {
    Set<String> replaced = storeVersions(connection, resources);
    if (replaced.isEmpty()) {
      return;
    }
    try (PreparedStatement delete = connection.prepareStatement(deleteRows)) {
      delete.setArray(1, connection.createArrayOf("text", replaced.toArray()));
      delete.executeUpdate();
    }
    try (PreparedStatement insert = connection.prepareStatement(insertRow)) {
      boolean any = false;
      for (ResultBatch.Rows resource : resources) {
        String key = resource.version().resourceKey();
        if (!replaced.contains(key)) {
          continue;
        }
        for (int row = 0; row < resource.rows().size(); row++) {
          insert.setString(1, key);
          insert.setInt(2, row);
          bindRow(insert, key, resource.rows().get(row));
          insert.addBatch();
          any = true;
        }
      }
      if (any) {
        insert.executeBatch();
      }
    }
  }

  private Set<String> storeVersions(Connection connection, List<ResultBatch.Rows> resources)
      throws SQLException {
    int n = resources.size();
    String[] keys = new String[n];
    String[] versionIds = new String[n];
    Long[] numbers = new Long[n];
    String[] instants = new String[n];
    Integer[] nanos = new Integer[n];
    Boolean[] deleted = new Boolean[n];
    for (int i = 0; i < n; i++) {
      SourceVersion version = resources.get(i).version();
      keys[i] = version.resourceKey();
      versionIds[i] = version.versionId();
      numbers[i] = VersionOrder.numeric(version.versionId());
      Instant lastUpdated = version.lastUpdated();
      if (lastUpdated != null) {
        // timestamptz keeps microseconds; the nanoseconds past them order the rest, as for
        // documents.
        instants[i] = lastUpdated.truncatedTo(ChronoUnit.MICROS).toString();
        nanos[i] = lastUpdated.getNano() % 1000;
      }
      deleted[i] = version.deleted();
    }
    Set<String> stored = new HashSet<>();
    try (PreparedStatement upsert = connection.prepareStatement(upsertVersions)) {
      upsert.setString(1, view.name());
      upsert.setArray(2, array(connection, "text", keys));
      upsert.setArray(3, array(connection, "text", versionIds));
      upsert.setArray(4, array(connection, "bigint", numbers));
      upsert.setArray(5, array(connection, "text", instants));
      upsert.setArray(6, array(connection, "integer", nanos));
      upsert.setArray(7, array(connection, "boolean", deleted));
      try (ResultSet rows = upsert.executeQuery()) {
        while (rows.next()) {
          stored.add(rows.getString(1));
        }
      }
    }
    return stored;
  }

  private static Array array(Connection connection, String type, Object[] values)
      throws SQLException {
    return connection.createArrayOf(type, values);
  }

  private void bindRow(PreparedStatement insert, String key, List<Object> row) throws SQLException {
    for (int i = 0; i < row.size(); i++) {
      int index = i + 3;
      Object value = row.get(i);
      ViewTable.Column column = view.columns().get(i);
      if (value == null) {
        insert.setNull(index, nullType(column.type()));
        continue;
      }
      switch (column.type()) {
        case INTEGER -> insert.setLong(index, ((Number) value).longValue());
        case DECIMAL ->
            insert.setBigDecimal(
                index,
                value instanceof BigDecimal decimal
                    ? decimal
                    : BigDecimal.valueOf(((Number) value).longValue()));
        case BOOLEAN -> insert.setBoolean(index, (Boolean) value);
        case JSON ->
            insert.setString(index, JsonColumns.toJson(checked((List<?>) value, key, column)));
        case TEXT, DATE, DATETIME, TIME ->
            insert.setString(index, checked((String) value, key, column));
      }
    }
  }

  /**
   * PostgreSQL's text and jsonb cannot hold NUL (FHIR strings may not contain it either): refused
   * here with the view, resource and column, where the server would name none of them.
   */
  private <T> T checked(T value, String key, ViewTable.Column column) {
    if (holdsNul(value)) {
      throw new PipelineException(
          "view "
              + view.name()
              + ": column "
              + column.name()
              + " of a row of "
              + key
              + " holds a NUL character, which PostgreSQL cannot store in "
              + ResultSchema.sqlType(column.type())
              + " (nor may FHIR strings hold it); correct the resource at its source or leave the"
              + " column out of the view");
    }
    return value;
  }

  /** A null of the column's own type, so every entry of a batch binds the same types. */
  private static int nullType(ColumnType type) {
    return switch (type) {
      case INTEGER -> Types.BIGINT;
      case DECIMAL -> Types.NUMERIC;
      case BOOLEAN -> Types.BOOLEAN;
      case TEXT, DATE, DATETIME, TIME, JSON -> Types.VARCHAR;
    };
  }

  private static boolean holdsNul(Object value) {
    if (value instanceof String text) {
      return text.indexOf('\0') >= 0;
    }
    return value instanceof List<?> list && list.stream().anyMatch(ViewRowsWrite::holdsNul);
  }
}
