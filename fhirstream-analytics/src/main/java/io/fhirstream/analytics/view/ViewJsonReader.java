package io.fhirstream.analytics.view;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads ViewDefinition JSON into {@link ViewDefinition}, checking its shape. Unknown keys are
 * errors inside select, column, where and constant (a misspelled {@code colum} must not silently
 * drop columns); at the top level the ViewDefinition's metadata elements are accepted and ignored.
 */
final class ViewJsonReader {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  /** Names a database accepts unquoted; the specification asks view and column names to be so. */
  static final Pattern NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]*$");

  private static final Set<String> ROOT_KEYS =
      Set.of(
          "resourceType",
          "id",
          "meta",
          "implicitRules",
          "language",
          "text",
          "contained",
          "extension",
          "modifierExtension",
          "url",
          "identifier",
          "version",
          "name",
          "title",
          "status",
          "experimental",
          "date",
          "publisher",
          "contact",
          "description",
          "useContext",
          "copyright",
          "resource",
          "resourceVersion",
          "fhirVersion",
          "profile",
          "constant",
          "select",
          "where");
  private static final Set<String> SELECT_KEYS =
      Set.of(
          "id", "extension", "column", "select", "forEach", "forEachOrNull", "repeat", "unionAll");
  private static final Set<String> COLUMN_KEYS =
      Set.of("id", "extension", "name", "path", "description", "collection", "type", "tag");
  private static final Set<String> WHERE_KEYS = Set.of("id", "extension", "path", "description");

  /** value[x] of a constant, by FHIR type, and the JSON kind each must be. */
  private static final Map<String, String> CONSTANT_TYPES =
      Map.ofEntries(
          Map.entry("Base64Binary", "string"), Map.entry("Boolean", "boolean"),
          Map.entry("Canonical", "string"), Map.entry("Code", "string"),
          Map.entry("Date", "string"), Map.entry("DateTime", "string"),
          Map.entry("Decimal", "number"), Map.entry("Id", "string"),
          Map.entry("Instant", "string"), Map.entry("Integer", "integer"),
          Map.entry("Oid", "string"), Map.entry("String", "string"),
          Map.entry("PositiveInt", "integer"), Map.entry("Time", "string"),
          Map.entry("UnsignedInt", "integer"), Map.entry("Uri", "string"),
          Map.entry("Url", "string"), Map.entry("Uuid", "string"));

  private final String source;
  private String label;

  private ViewJsonReader(String source) {
    this.source = source;
    this.label = ViewDefinition.label(null, source);
  }

  static ViewDefinition read(String json, String source) {
    return new ViewJsonReader(source).read(json);
  }

  private ViewDefinition read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw fail(
          null,
          "not valid JSON: "
              + e.getOriginalMessage()
              + " (line "
              + e.getLocation().getLineNr()
              + ")");
    }
    if (root == null || !root.isObject()) {
      throw fail(null, "a ViewDefinition must be a JSON object");
    }
    String name = optionalString(root, "name", "");
    label = ViewDefinition.label(name, source);
    if (name != null && !NAME.matcher(name).matches()) {
      throw fail(
          "name",
          "'"
              + name
              + "' is not a usable table name: start with a letter, then"
              + " letters, digits or '_'");
    }
    String resourceType = optionalString(root, "resourceType", "");
    if (resourceType != null && !resourceType.equals("ViewDefinition")) {
      throw fail("resourceType", "must be 'ViewDefinition', not '" + resourceType + "'");
    }
    unknownKeys(root, ROOT_KEYS, "");
    String resource = optionalString(root, "resource", "");
    if (resource == null || resource.isBlank()) {
      throw fail(
          "resource",
          "missing: name the FHIR resource type the view reads, e.g."
              + " \"resource\": \"Patient\"");
    }
    List<ViewDefinition.Constant> constants = new ArrayList<>();
    for (JsonNode c : array(root, "constant", "")) {
      constants.add(constant(c, "constant[" + constants.size() + "]"));
    }
    List<ViewDefinition.Where> where = new ArrayList<>();
    for (JsonNode w : array(root, "where", "")) {
      String at = "where[" + where.size() + "]";
      object(w, at);
      unknownKeys(w, WHERE_KEYS, at);
      where.add(new ViewDefinition.Where(requiredString(w, "path", at), at));
    }
    List<ViewDefinition.Select> select = selects(root, "select", "");
    if (select.isEmpty()) {
      throw fail("select", "missing: a view needs at least one select with columns");
    }
    ViewDefinition view = new ViewDefinition(name, source, resource, constants, where, select);
    uniqueConstants(constants);
    uniqueColumns(view.columns());
    return view;
  }

  private List<ViewDefinition.Select> selects(JsonNode parent, String key, String at) {
    List<ViewDefinition.Select> out = new ArrayList<>();
    for (JsonNode s : array(parent, key, at)) {
      out.add(select(s, join(at, key) + "[" + out.size() + "]"));
    }
    return out;
  }

  private ViewDefinition.Select select(JsonNode s, String at) {
    object(s, at);
    unknownKeys(s, SELECT_KEYS, at);
    List<ViewDefinition.Column> columns = new ArrayList<>();
    for (JsonNode c : array(s, "column", at)) {
      columns.add(column(c, at + ".column[" + columns.size() + "]"));
    }
    String forEach = optionalString(s, "forEach", at);
    String forEachOrNull = optionalString(s, "forEachOrNull", at);
    List<String> repeat = new ArrayList<>();
    for (JsonNode r : array(s, "repeat", at)) {
      String rAt = at + ".repeat[" + repeat.size() + "]";
      if (!r.isTextual() || r.asText().isBlank()) {
        throw fail(rAt, "must be a FHIRPath expression (a non-empty JSON string)");
      }
      repeat.add(r.asText());
    }
    if (s.has("repeat") && repeat.isEmpty()) {
      throw fail(at + ".repeat", "must list at least one path to follow");
    }
    int iterations =
        (forEach != null ? 1 : 0) + (forEachOrNull != null ? 1 : 0) + (repeat.isEmpty() ? 0 : 1);
    if (iterations > 1) {
      throw fail(
          at,
          "forEach, forEachOrNull and repeat are alternatives: set at most one of"
              + " them (nest a select to iterate twice)");
    }
    List<ViewDefinition.Select> selects = selects(s, "select", at);
    List<ViewDefinition.Select> unionAll = selects(s, "unionAll", at);
    if (columns.isEmpty() && selects.isEmpty() && unionAll.isEmpty()) {
      throw fail(at, "an empty select: give it a column, a select or a unionAll");
    }
    for (int i = 1; i < unionAll.size(); i++) {
      List<String> first = names(unionAll.get(0).columnsInOrder());
      List<String> other = names(unionAll.get(i).columnsInOrder());
      if (!first.equals(other)) {
        throw fail(
            at + ".unionAll[" + i + "]",
            "every unionAll branch must have the same columns"
                + " in the same order: unionAll[0] has "
                + first
                + ", unionAll["
                + i
                + "] has "
                + other);
      }
    }
    return new ViewDefinition.Select(
        columns, selects, unionAll, forEach, forEachOrNull, repeat, at);
  }

  private ViewDefinition.Column column(JsonNode c, String at) {
    object(c, at);
    unknownKeys(c, COLUMN_KEYS, at);
    String name = requiredString(c, "name", at);
    if (!NAME.matcher(name).matches()) {
      throw fail(
          at + ".name",
          "'"
              + name
              + "' is not a usable column name: start with a letter,"
              + " then letters, digits or '_'");
    }
    String path = requiredString(c, "path", at);
    String type = optionalString(c, "type", at);
    boolean collection = false;
    JsonNode coll = c.get("collection");
    if (coll != null && !coll.isNull()) {
      if (!coll.isBoolean()) {
        throw fail(at + ".collection", "must be true or false");
      }
      collection = coll.booleanValue();
    }
    return new ViewDefinition.Column(name, path, type, collection, at);
  }

  private ViewDefinition.Constant constant(JsonNode c, String at) {
    object(c, at);
    String name = requiredString(c, "name", at);
    if (!NAME.matcher(name).matches()) {
      throw fail(
          at + ".name",
          "'"
              + name
              + "' is not a usable constant name: start with a"
              + " letter, then letters, digits or '_'");
    }
    String valueKey = null;
    for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (key.equals("name") || key.equals("id") || key.equals("extension")) {
        continue;
      }
      if (!key.startsWith("value")) {
        throw fail(at + "." + key, "unknown element: a constant has a name and one value[x]");
      }
      if (valueKey != null) {
        throw fail(at, "has both " + valueKey + " and " + key + ": give exactly one value[x]");
      }
      valueKey = key;
    }
    if (valueKey == null) {
      throw fail(
          at,
          "constant '"
              + name
              + "' has no value: add one value[x], e.g."
              + " \"valueString\": \"official\"");
    }
    String suffix = valueKey.substring("value".length());
    String kind = CONSTANT_TYPES.get(suffix);
    if (kind == null) {
      throw fail(
          at + "." + valueKey,
          "not a constant type of FHIR R4: use one of value"
              + String.join(", value", new java.util.TreeSet<>(CONSTANT_TYPES.keySet())));
    }
    JsonNode v = c.get(valueKey);
    boolean ok =
        switch (kind) {
          case "boolean" -> v.isBoolean();
          case "integer" -> v.isIntegralNumber();
          case "number" -> v.isNumber();
          default -> v.isTextual();
        };
    if (!ok) {
      throw fail(at + "." + valueKey, "must be a JSON " + kind);
    }
    String text = v.isNumber() ? v.decimalValue().toPlainString() : v.asText();
    String fhirType = Character.toLowerCase(suffix.charAt(0)) + suffix.substring(1);
    return new ViewDefinition.Constant(name, fhirType, text, at);
  }

  private void uniqueConstants(List<ViewDefinition.Constant> constants) {
    Map<String, String> seen = new HashMap<>();
    for (ViewDefinition.Constant c : constants) {
      String before = seen.putIfAbsent(c.name(), c.element());
      if (before != null) {
        throw fail(
            c.element() + ".name", "constant '" + c.name() + "' is already defined at " + before);
      }
    }
  }

  private void uniqueColumns(List<ViewDefinition.Column> columns) {
    Map<String, String> seen = new HashMap<>();
    for (ViewDefinition.Column c : columns) {
      // unionAll branches repeat their columns by design: only the first branch is listed here.
      String before = seen.putIfAbsent(c.name().toLowerCase(java.util.Locale.ROOT), c.element());
      if (before != null) {
        throw fail(
            c.element() + ".name",
            "duplicate column name '"
                + c.name()
                + "' (also at "
                + before
                + "); column names must be unique in a view, ignoring case");
      }
    }
  }

  private static List<String> names(List<ViewDefinition.Column> columns) {
    return columns.stream().map(ViewDefinition.Column::name).toList();
  }

  private Iterable<JsonNode> array(JsonNode parent, String key, String at) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw fail(join(at, key), "must be a JSON array");
    }
    return node;
  }

  private void object(JsonNode node, String at) {
    if (!node.isObject()) {
      throw fail(at, "must be a JSON object");
    }
  }

  private String requiredString(JsonNode node, String key, String at) {
    String value = optionalString(node, key, at);
    if (value == null || value.isBlank()) {
      throw fail(join(at, key), "missing: it is required here");
    }
    return value;
  }

  private String optionalString(JsonNode node, String key, String at) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw fail(
          join(at, key),
          "must be a JSON string, not "
              + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return v.asText();
  }

  private void unknownKeys(JsonNode node, Set<String> known, String at) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw fail(
            join(at, key), "unknown element; expected one of " + new java.util.TreeSet<>(known));
      }
    }
  }

  private static String join(String at, String key) {
    return at.isEmpty() ? key : at + "." + key;
  }

  private ViewDefinitionException fail(String element, String problem) {
    return new ViewDefinitionException(label, element, problem);
  }
}
