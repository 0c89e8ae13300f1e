package io.fhirstream.analytics;

import io.fhirstream.analytics.aggregate.AggregateDefinition;
import io.fhirstream.analytics.aggregate.AggregateDefinitionException;
import io.fhirstream.analytics.aggregate.AggregateJsonReader;
import io.fhirstream.analytics.aggregate.BuiltInAggregates;
import io.fhirstream.analytics.view.BuiltInViews;
import io.fhirstream.analytics.view.ViewDefinition;
import io.fhirstream.analytics.view.ViewDefinitionException;
import io.fhirstream.analytics.view.ViewRunner;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the analytics role keeps current: the views (built in and from {@code views/*.json}) and the
 * aggregates (built in and from {@code aggregates/*.json}) of a definitions directory, and the
 * reference date ages are computed at. {@link #load} validates everything, so a bad definition
 * stops start-up with an error naming its file, its name, the element and the problem.
 *
 * <p>Immutable and thread-safe; each processing thread compiles its own {@link AnalyticsEngine}
 * from it (a view runner is not thread-safe).
 */
public final class AnalyticsDefinitions {
  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsDefinitions.class);

  private final List<ViewDefinition> views;
  private final List<AggregateDefinition> aggregates;
  private final LocalDate referenceDate;

  private AnalyticsDefinitions(
      List<ViewDefinition> views, List<AggregateDefinition> aggregates, LocalDate referenceDate) {
    this.views = List.copyOf(views);
    this.aggregates = List.copyOf(aggregates);
    this.referenceDate = referenceDate;
  }

  /**
   * Reads and checks the definitions.
   *
   * @param directory a directory with {@code views/} and/or {@code aggregates/} of {@code *.json}
   *     files, or null for none
   * @param builtIns whether to include the built-in views and aggregates
   * @param referenceDate the date ages are computed at ({@code analytics.reference-date})
   * @throws ViewDefinitionException or {@link AggregateDefinitionException} for the first bad
   *     definition, naming its file
   */
  public static AnalyticsDefinitions load(
      Path directory, boolean builtIns, LocalDate referenceDate) {
    Map<String, ViewDefinition> views = new LinkedHashMap<>();
    Map<String, AggregateDefinition> aggregates = new LinkedHashMap<>();
    if (builtIns) {
      BuiltInViews.ALL.forEach(path -> addView(views, ViewDefinition.fromClasspath(path)));
      BuiltInAggregates.ALL.forEach(
          path -> addAggregate(aggregates, AggregateJsonReader.fromClasspath(path)));
    }
    if (directory != null) {
      if (!Files.isDirectory(directory)) {
        throw new AggregateDefinitionException(
            "(" + directory + ")",
            null,
            "analytics.definitions names no directory; it should hold views/*.json and"
                + " aggregates/*.json");
      }
      jsonFiles(directory.resolve("views"))
          .forEach(file -> addView(views, ViewDefinition.fromFile(file)));
      jsonFiles(directory.resolve("aggregates"))
          .forEach(file -> addAggregate(aggregates, AggregateJsonReader.fromFile(file)));
    }
    AnalyticsDefinitions definitions =
        new AnalyticsDefinitions(
            List.copyOf(views.values()), List.copyOf(aggregates.values()), referenceDate);
    // Compiling checks every path against the R4 model and every aggregate against its view.
    definitions.compile(ViewRunner.forR4());
    LOG.info(
        "analytics: {} views {} and {} aggregates {} (ages at {})",
        views.size(),
        views.keySet(),
        aggregates.size(),
        aggregates.keySet(),
        referenceDate);
    return definitions;
  }

  /** Definitions given directly (tests, benchmarks); checked like {@link #load}. */
  public static AnalyticsDefinitions of(
      List<ViewDefinition> views, List<AggregateDefinition> aggregates, LocalDate referenceDate) {
    Map<String, ViewDefinition> byName = new LinkedHashMap<>();
    views.forEach(view -> addView(byName, view));
    Map<String, AggregateDefinition> aggregateByName = new LinkedHashMap<>();
    aggregates.forEach(aggregate -> addAggregate(aggregateByName, aggregate));
    AnalyticsDefinitions definitions = new AnalyticsDefinitions(views, aggregates, referenceDate);
    definitions.compile(ViewRunner.forR4());
    return definitions;
  }

  /** The views whose rows are kept in the store and sent to a topic each. */
  public List<ViewDefinition> views() {
    return views;
  }

  public List<AggregateDefinition> aggregates() {
    return aggregates;
  }

  public LocalDate referenceDate() {
    return referenceDate;
  }

  /** Compiles everything with a runner of the calling thread. */
  public AnalyticsEngine compile(ViewRunner runner) {
    return new AnalyticsEngine(this, runner);
  }

  private static void addView(Map<String, ViewDefinition> views, ViewDefinition view) {
    if (view.name() == null) {
      throw new ViewDefinitionException(
          view.label(), "name", "a view the analytics role keeps needs a name: it names its table");
    }
    ViewDefinition before = views.putIfAbsent(view.name(), view);
    if (before != null) {
      throw new ViewDefinitionException(
          view.label(),
          "name",
          "view "
              + before.label()
              + " has the same name; rename one (a built-in view's name is taken while"
              + " analytics.builtins is true)");
    }
  }

  private static void addAggregate(
      Map<String, AggregateDefinition> aggregates, AggregateDefinition aggregate) {
    AggregateDefinition before = aggregates.putIfAbsent(aggregate.name(), aggregate);
    if (before != null) {
      throw new AggregateDefinitionException(
          aggregate.label(),
          "name",
          "aggregate "
              + before.label()
              + " has the same name; rename one (a built-in aggregate's name is taken while"
              + " analytics.builtins is true)");
    }
  }

  private static List<Path> jsonFiles(Path directory) {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return files;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.json")) {
      stream.forEach(files::add);
    } catch (IOException e) {
      throw new AggregateDefinitionException(
          "(" + directory + ")", null, "cannot list the directory: " + e.getMessage(), e);
    }
    files.sort(null);
    return files;
  }
}
