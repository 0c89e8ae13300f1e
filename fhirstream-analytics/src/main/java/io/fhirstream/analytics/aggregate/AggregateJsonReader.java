package io.fhirstream.analytics.aggregate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fhirstream.analytics.aggregate.AggregateDefinition.Filter;
import io.fhirstream.analytics.aggregate.AggregateDefinition.Function;
import io.fhirstream.analytics.aggregate.AggregateDefinition.GroupBy;
import io.fhirstream.analytics.aggregate.AggregateDefinition.Measure;
import io.fhirstream.analytics.aggregate.AggregateDefinition.SourceColumn;
import io.fhirstream.analytics.aggregate.AggregateDefinition.Window;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads aggregate definitions from JSON, checking their shape: required elements, JSON types,
 * unknown keys (a misspelled {@code mesures} must not silently drop a measure), names, durations.
 * Whether the columns exist in the view and fit the measure is checked by {@link
 * CompiledAggregate#compile}.
 */
public final class AggregateJsonReader {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");
  private static final Set<String> ROOT =
      Set.of(
          "name",
          "description",
          "view",
          "resource",
          "columns",
          "filter",
          "groupBy",
          "measures",
          "window");

  private final String source;
  private String label;

  private AggregateJsonReader(String source) {
    this.source = source;
    this.label = source == null ? "(unnamed)" : "(" + source + ")";
  }

  /** Reads a file; errors name it. */
  public static AggregateDefinition fromFile(Path file) {
    String name = file.getFileName().toString();
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8), name);
    } catch (IOException e) {
      throw new AggregateDefinitionException(
          "(" + name + ")", null, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a classpath resource, e.g. one of {@link BuiltInAggregates}. */
  public static AggregateDefinition fromClasspath(String path) {
    ClassLoader loader = AggregateJsonReader.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new AggregateDefinitionException("(classpath:" + path + ")", null, "not found");
      }
      return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + path);
    } catch (IOException e) {
      throw new AggregateDefinitionException(
          "(classpath:" + path + ")", null, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads one definition from JSON text.
   *
   * @param source where it came from, named in errors; may be null
   */
  public static AggregateDefinition fromJson(String json, String source) {
    return new AggregateJsonReader(source).read(json);
  }

  private AggregateDefinition read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw fail(
          null,
          "not valid JSON (line "
              + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
              + "): "
              + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw fail(null, "the definition must be a JSON object");
    }
    String name = requiredText(root, "name", "");
    if (!NAME.matcher(name).matches()) {
      throw fail(
          "name",
          "'"
              + name
              + "' is not a usable name: a letter, then letters, digits and underscores, at"
              + " most 63 characters");
    }
    label = "'" + name + "'" + (source == null ? "" : " (" + source + ")");
    checkKeys(root, ROOT, "");
    String view = optionalText(root, "view", "");
    String resource = optionalText(root, "resource", "");
    if ((view == null) == (resource == null)) {
      throw fail(
          null,
          "name either a view (\"view\": \"patient_demographics\") or a resource type with its"
              + " columns (\"resource\": \"Patient\", \"columns\": [...]), not "
              + (view == null ? "neither" : "both"));
    }
    List<SourceColumn> columns = columns(root, resource != null);
    List<Filter> filters = filters(root.get("filter"));
    List<GroupBy> groupBy = groupBy(root.get("groupBy"));
    List<Measure> measures = measures(root.get("measures"));
    Window window = window(root.get("window"));
    Set<String> names = new HashSet<>();
    for (GroupBy g : groupBy) {
      if (!names.add(g.name().toLowerCase(Locale.ROOT))) {
        throw fail(g.element(), "the name '" + g.name() + "' is used twice");
      }
    }
    for (Measure m : measures) {
      if (!names.add(m.name().toLowerCase(Locale.ROOT))) {
        throw fail(
            m.element(),
            "the name '" + m.name() + "' is used twice (group parts and measures share names)");
      }
    }
    return new AggregateDefinition(
        name, source, view, resource, columns, filters, groupBy, measures, window);
  }

  private List<SourceColumn> columns(JsonNode root, boolean required) {
    JsonNode node = root.get("columns");
    if (!required) {
      if (node != null) {
        throw fail("columns", "columns belong to an aggregate over a resource; a view has its own");
      }
      return List.of();
    }
    List<SourceColumn> columns = new ArrayList<>();
    for (JsonNode item : array(node, "columns", true)) {
      String element = "columns[" + columns.size() + "]";
      requireObject(item, element);
      checkKeys(item, Set.of("name", "path", "type"), element);
      String name = requiredText(item, "name", element + ".");
      requireName(name, element + ".name");
      columns.add(
          new SourceColumn(
              name,
              requiredText(item, "path", element + "."),
              optionalText(item, "type", element + ".")));
    }
    return columns;
  }

  private List<Filter> filters(JsonNode node) {
    List<Filter> filters = new ArrayList<>();
    if (node == null) {
      return filters;
    }
    for (JsonNode item : array(node, "filter", false)) {
      String element = "filter[" + filters.size() + "]";
      requireObject(item, element);
      checkKeys(item, Set.of("column", "equals", "in", "notNull"), element);
      String column = requiredText(item, "column", element + ".");
      int given =
          (item.has("equals") ? 1 : 0) + (item.has("in") ? 1 : 0) + (item.has("notNull") ? 1 : 0);
      if (given != 1) {
        throw fail(
            element,
            "give exactly one of equals (a value), in (a list of values) or notNull (true)");
      }
      List<String> in = new ArrayList<>();
      boolean notNull = false;
      if (item.has("equals")) {
        in.add(scalar(item.get("equals"), element + ".equals"));
      } else if (item.has("in")) {
        int i = 0;
        for (JsonNode value : array(item.get("in"), element + ".in", true)) {
          in.add(scalar(value, element + ".in[" + i++ + "]"));
        }
      } else {
        if (!item.get("notNull").isBoolean() || !item.get("notNull").booleanValue()) {
          throw fail(element + ".notNull", "must be true (leave the filter out otherwise)");
        }
        notNull = true;
      }
      filters.add(new Filter(column, in, notNull, element));
    }
    return filters;
  }

  private List<GroupBy> groupBy(JsonNode node) {
    List<GroupBy> groupBy = new ArrayList<>();
    if (node == null) {
      return groupBy;
    }
    for (JsonNode item : array(node, "groupBy", false)) {
      String element = "groupBy[" + groupBy.size() + "]";
      if (item.isTextual()) {
        requireName(item.textValue(), element);
        groupBy.add(new GroupBy(item.textValue(), item.textValue(), List.of(), element));
        continue;
      }
      requireObject(item, element);
      checkKeys(item, Set.of("name", "column", "ageBands"), element);
      String column = requiredText(item, "column", element + ".");
      String name = optionalText(item, "name", element + ".");
      name = name == null ? column : name;
      requireName(name, element + ".name");
      List<Integer> bands = new ArrayList<>();
      if (item.has("ageBands")) {
        int previous = 0;
        for (JsonNode bound : array(item.get("ageBands"), element + ".ageBands", true)) {
          String at = element + ".ageBands[" + bands.size() + "]";
          if (!bound.isInt() || bound.intValue() <= previous || bound.intValue() > 150) {
            throw fail(at, "bounds are whole years, ascending, above 0 and at most 150");
          }
          previous = bound.intValue();
          bands.add(previous);
        }
      }
      groupBy.add(new GroupBy(name, column, bands, element));
    }
    return groupBy;
  }

  private List<Measure> measures(JsonNode node) {
    List<Measure> measures = new ArrayList<>();
    for (JsonNode item : array(node, "measures", true)) {
      String element = "measures[" + measures.size() + "]";
      requireObject(item, element);
      checkKeys(item, Set.of("name", "function", "column"), element);
      String name = requiredText(item, "name", element + ".");
      requireName(name, element + ".name");
      String text = requiredText(item, "function", element + ".");
      Function function =
          Arrays.stream(Function.values())
              .filter(f -> f.json().equals(text))
              .findFirst()
              .orElseThrow(
                  () ->
                      fail(
                          element + ".function",
                          "unknown function '"
                              + text
                              + "'; use one of "
                              + Arrays.stream(Function.values()).map(Function::json).toList()));
      String column = optionalText(item, "column", element + ".");
      if (column == null && function != Function.COUNT) {
        throw fail(element, function.json() + " needs a column");
      }
      measures.add(new Measure(name, function, column, element));
    }
    return measures;
  }

  private Window window(JsonNode node) {
    if (node == null) {
      return null;
    }
    requireObject(node, "window");
    checkKeys(node, Set.of("column", "size", "advance", "grace"), "window");
    String column = requiredText(node, "column", "window.");
    Duration size = duration(node, "size", null);
    Duration advance = duration(node, "advance", size);
    Duration grace = duration(node, "grace", Duration.ZERO);
    if (size.isZero() || size.isNegative()) {
      throw fail("window.size", "must be longer than zero");
    }
    if (advance.isZero() || advance.isNegative() || advance.compareTo(size) > 0) {
      throw fail(
          "window.advance",
          "must be longer than zero and at most the size (equal: tumbling windows; shorter:"
              + " hopping windows)");
    }
    if (size.toMillis() % advance.toMillis() != 0) {
      throw fail("window.advance", "the size must be a whole multiple of the advance");
    }
    if (grace.isNegative()) {
      throw fail("window.grace", "must not be negative");
    }
    return new Window(column, size, advance, grace);
  }

  private Duration duration(JsonNode node, String key, Duration fallback) {
    JsonNode value = node.get(key);
    if (value == null) {
      if (fallback == null) {
        throw fail("window." + key, "is required, e.g. \"PT1H\" (ISO 8601 duration)");
      }
      return fallback;
    }
    if (!value.isTextual()) {
      throw fail("window." + key, "must be an ISO 8601 duration text such as \"PT1H\" or \"P1D\"");
    }
    try {
      return Duration.parse(value.textValue());
    } catch (DateTimeParseException e) {
      throw fail(
          "window." + key,
          "'" + value.textValue() + "' is not an ISO 8601 duration such as \"PT1H\" or \"P1D\"");
    }
  }

  private Iterable<JsonNode> array(JsonNode node, String element, boolean nonEmpty) {
    if (node == null || !node.isArray()) {
      throw fail(element, node == null ? "is required (a JSON array)" : "must be a JSON array");
    }
    if (nonEmpty && node.isEmpty()) {
      throw fail(element, "must not be empty");
    }
    return node;
  }

  private String scalar(JsonNode value, String element) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return Boolean.toString(value.booleanValue());
    }
    if (value.isNumber()) {
      return value.decimalValue().stripTrailingZeros().toPlainString();
    }
    throw fail(element, "must be a text, number or boolean");
  }

  private void requireObject(JsonNode node, String element) {
    if (!node.isObject()) {
      throw fail(element, "must be a JSON object");
    }
  }

  private void requireName(String name, String element) {
    if (!NAME.matcher(name).matches()) {
      throw fail(
          element,
          "'" + name + "' is not a usable name: a letter, then letters, digits and underscores");
    }
  }

  private String requiredText(JsonNode node, String key, String prefix) {
    String text = optionalText(node, key, prefix);
    if (text == null) {
      throw fail(prefix + key, "is required");
    }
    return text;
  }

  private String optionalText(JsonNode node, String key, String prefix) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.textValue().isBlank()) {
      throw fail(prefix + key, "must be a non-empty JSON string");
    }
    return value.textValue();
  }

  private void checkKeys(JsonNode node, Set<String> allowed, String element) {
    for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!allowed.contains(key)) {
        throw fail(
            element.isEmpty() ? key : element + "." + key,
            "unknown element; expected one of " + allowed.stream().sorted().toList());
      }
    }
  }

  private AggregateDefinitionException fail(String element, String problem) {
    return new AggregateDefinitionException(label, element, problem);
  }
}
