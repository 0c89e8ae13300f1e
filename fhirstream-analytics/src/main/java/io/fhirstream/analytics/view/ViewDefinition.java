package io.fhirstream.analytics.view;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A SQL on FHIR v2 ViewDefinition as read from JSON: which resource type it reads, its constants,
 * {@code where} filters and the tree of {@code select}s that make its columns.
 *
 * <p>Reading checks the shape (required elements, element types, unknown or misspelled keys, {@code
 * forEach} and {@code forEachOrNull} together, duplicate column names, {@code unionAll} branches
 * with different columns). What needs the FHIR model (FHIRPath syntax, element names, resource
 * type, functions, constants) is checked by {@link ViewRunner#compile}; {@link ViewRunner#load}
 * does both. Every check throws {@link ViewDefinitionException} naming the view, the element and
 * the problem.
 *
 * <p>Each part remembers where it is in the JSON ({@code element}, e.g. {@code
 * select[0].column[2]}) so that later errors can name it.
 */
public final class ViewDefinition {
  private final String name;
  private final String source;
  private final String resource;
  private final List<Constant> constants;
  private final List<Where> where;
  private final List<Select> select;

  ViewDefinition(
      String name,
      String source,
      String resource,
      List<Constant> constants,
      List<Where> where,
      List<Select> select) {
    this.name = name;
    this.source = source;
    this.resource = Objects.requireNonNull(resource, "resource");
    this.constants = List.copyOf(constants);
    this.where = List.copyOf(where);
    this.select = List.copyOf(select);
  }

  /**
   * Reads a view from JSON text.
   *
   * @param json the ViewDefinition JSON
   * @param source where it came from (a file name, a classpath resource), named in errors; may be
   *     {@code null}
   * @throws ViewDefinitionException if the JSON is not a well-formed ViewDefinition
   */
  public static ViewDefinition fromJson(String json, String source) {
    return ViewJsonReader.read(json, source);
  }

  /** Reads a view from a JSON file; errors name the file. */
  public static ViewDefinition fromFile(Path file) {
    String source = file.getFileName().toString();
    try {
      return fromJson(Files.readString(file), source);
    } catch (IOException e) {
      throw new ViewDefinitionException(
          "(" + source + ")", null, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a view from a classpath resource such as {@code
   * io/fhirstream/analytics/views/patient_demographics.json}.
   */
  public static ViewDefinition fromClasspath(String resourcePath) {
    String path = resourcePath.startsWith("/") ? resourcePath.substring(1) : resourcePath;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ViewDefinition.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new ViewDefinitionException(
            "(classpath:" + path + ")", null, "no such classpath resource");
      }
      return fromJson(
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
          "classpath:" + path);
    } catch (IOException e) {
      throw new ViewDefinitionException(
          "(classpath:" + path + ")", null, "cannot read: " + e.getMessage(), e);
    }
  }

  /** The view's {@code name} (a table name), or {@code null} when the JSON has none. */
  public String name() {
    return name;
  }

  /** The file or classpath resource the view was read from, or {@code null}. */
  public String source() {
    return source;
  }

  /** The FHIR resource type whose resources this view reads, e.g. {@code Patient}. */
  public String resource() {
    return resource;
  }

  public List<Constant> constants() {
    return constants;
  }

  public List<Where> where() {
    return where;
  }

  /** The top-level selects; their rows are joined (cross product) per resource. */
  public List<Select> select() {
    return select;
  }

  /** The view's columns in the order the specification gives them. */
  public List<Column> columns() {
    List<Column> all = new ArrayList<>();
    for (Select s : select) {
      all.addAll(s.columnsInOrder());
    }
    return all;
  }

  /** How errors name this view: {@code 'name' (source)}, either part left out when unknown. */
  public String label() {
    return label(name, source);
  }

  static String label(String name, String source) {
    if (name != null && source != null) {
      return "'" + name + "' (" + source + ")";
    }
    if (name != null) {
      return "'" + name + "'";
    }
    return source != null ? "(" + source + ")" : "(unnamed view)";
  }

  @Override
  public String toString() {
    return "ViewDefinition[" + label() + " over " + resource + "]";
  }

  /**
   * A named constant, used in paths as {@code %name}.
   *
   * @param name the constant's name
   * @param fhirType the FHIR primitive type from its {@code value[x]} key, e.g. {@code string}
   * @param value the value as FHIR JSON gives it (text of the JSON string, number or boolean)
   * @param element where it is, e.g. {@code constant[0]}
   */
  public record Constant(String name, String fhirType, String value, String element) {}

  /**
   * A filter: a resource makes rows only when every {@code where} path is true.
   *
   * @param path a FHIRPath expression evaluated on the resource, giving a boolean
   * @param element where it is, e.g. {@code where[1]}
   */
  public record Where(String path, String element) {}

  /**
   * One column.
   *
   * @param name the column name, unique in the view
   * @param path a FHIRPath expression evaluated on the enclosing select's focus
   * @param type the declared FHIR type, or {@code null} to infer it
   * @param collection whether the column holds a list of values
   * @param element where it is, e.g. {@code select[0].column[2]}
   */
  public record Column(String name, String path, String type, boolean collection, String element) {}

  /**
   * A select: columns, nested selects and a {@code unionAll}, evaluated once per focus. The focus
   * is the enclosing focus, or each item of {@code forEach} / {@code forEachOrNull} / {@code
   * repeat}.
   *
   * @param columns the columns evaluated on each focus
   * @param selects nested selects, joined (cross product) with the columns
   * @param unionAll branches whose rows are concatenated; all have the same columns
   * @param forEach a path giving one focus per item (no item, no row), or {@code null}
   * @param forEachOrNull like {@code forEach}, but one row of nulls when there is no item
   * @param repeat paths followed recursively from the focus, one focus per item reached
   * @param element where it is, e.g. {@code select[1].select[0]}
   */
  public record Select(
      List<Column> columns,
      List<Select> selects,
      List<Select> unionAll,
      String forEach,
      String forEachOrNull,
      List<String> repeat,
      String element) {

    public Select {
      columns = List.copyOf(columns);
      selects = List.copyOf(selects);
      unionAll = List.copyOf(unionAll);
      repeat = List.copyOf(repeat);
    }

    /** This select's columns, then its nested selects', then its unionAll's (spec order). */
    public List<Column> columnsInOrder() {
      List<Column> all = new ArrayList<>(columns);
      for (Select s : selects) {
        all.addAll(s.columnsInOrder());
      }
      if (!unionAll.isEmpty()) {
        all.addAll(unionAll.get(0).columnsInOrder());
      }
      return all;
    }
  }
}
