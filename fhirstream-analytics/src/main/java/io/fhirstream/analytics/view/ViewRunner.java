package io.fhirstream.analytics.view;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import io.fhirstream.analytics.view.internal.FhirPathSupport;
import io.fhirstream.analytics.view.internal.Narrative;
import io.fhirstream.analytics.view.internal.ViewCompiler;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles ViewDefinitions and parses the resources they read: the entry point of the view engine.
 *
 * <pre>{@code
 * ViewRunner runner = ViewRunner.forR4();
 * List<CompiledView> views = runner.loadDirectory(Path.of("views"));  // validated here
 * ParsedResource patient = runner.parse(changeEvent.body());          // once per event
 * for (CompiledView view : views) {
 *   if (view.resourceType().equals(patient.resourceType())) {
 *     List<ViewRow> rows = view.rows(patient);                          // replaces its old rows
 *   }
 * }
 * }</pre>
 *
 * <p>A resource's narrative ({@code text}, XHTML) is left out when parsing, as long as no view
 * compiled by this runner may read it: parsing the XHTML costs several times the rest of a
 * resource. Compile every view before parsing.
 *
 * <p>A resource's narrative ({@code text}, XHTML) is left out when parsing, as long as no view
 * compiled by this runner may read it: parsing the XHTML costs several times the rest of a
 * resource. Compile every view before parsing.
 *
 * <p>FHIRPath is evaluated by the HL7 R4 engine ({@code org.hl7.fhir.r4.fhirpath}) on HAPI's R4
 * model. Not thread-safe: give each thread its own runner (creating one takes well under a second
 * after the first, which loads the R4 model).
 */
public final class ViewRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ViewRunner.class);
  private static final Pattern HAPI_CODE = Pattern.compile("^(HAPI-\\d+)");

  private final FhirContext context;
  private final IParser parser;
  private final ViewCompiler compiler;

  /** Set once a compiled view may read narratives; until then parse leaves them out. */
  private boolean keepNarrative;

  private ViewRunner(FhirContext context) {
    this.context = context;
    // Lenient and silent: an unknown element must not stop the rows of a resource, and the
    // parser's warnings could quote values, which are patient data.
    this.parser = context.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
    this.compiler = new ViewCompiler(new FhirPathSupport(context));
  }

  /** A runner for FHIR R4 (4.0.1). */
  public static ViewRunner forR4() {
    return new ViewRunner(FhirContext.forR4Cached());
  }

  /**
   * Parses a resource once, for every view over its type.
   *
   * @param json FHIR R4 JSON of one resource
   * @throws ViewEvaluationException if it is not a FHIR resource; the message quotes no content
   */
  public ParsedResource parse(byte[] json) {
    try {
      byte[] input = keepNarrative ? json : Narrative.withoutNarrative(json);
      try (Reader reader =
          new InputStreamReader(new java.io.ByteArrayInputStream(input), StandardCharsets.UTF_8)) {
        IBaseResource resource = parser.parseResource(reader);
        return new ParsedResource((Resource) resource, input != json);
      }
    } catch (DataFormatException | IOException | ClassCastException e) {
      throw notAResource(e);
    }
  }

  /** {@link #parse(byte[])} for JSON text. */
  public ParsedResource parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static ViewEvaluationException notAResource(Exception e) {
    // HAPI's message may quote the offending value; only its message code is kept.
    Matcher code = HAPI_CODE.matcher(String.valueOf(e.getMessage()));
    return new ViewEvaluationException(
        "cannot parse the resource as FHIR R4 JSON ("
            + e.getClass().getSimpleName()
            + (code.find() ? " " + code.group(1) : "")
            + ")");
  }

  /**
   * Validates a view against the R4 model and prepares it to make rows.
   *
   * @throws ViewDefinitionException naming the view, the element and the problem
   */
  public CompiledView compile(ViewDefinition definition) {
    CompiledView view = new CompiledView(definition, compiler.compile(definition));
    keepNarrative |= view.readsNarrative();
    return view;
  }

  /** Reads, validates and compiles a view file; errors name the file. */
  public CompiledView load(Path file) {
    return compile(ViewDefinition.fromFile(file));
  }

  /** Reads, validates and compiles a view from the classpath, e.g. {@link BuiltInViews}. */
  public CompiledView loadClasspath(String resourcePath) {
    return compile(ViewDefinition.fromClasspath(resourcePath));
  }

  /**
   * Reads, validates and compiles every {@code *.json} file of a directory, in file name order. Two
   * views with the same name are an error, since each names a table.
   *
   * @throws ViewDefinitionException for the first invalid file, naming it
   */
  public List<CompiledView> loadDirectory(Path directory) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.json")) {
      stream.forEach(files::add);
    } catch (IOException e) {
      throw new ViewDefinitionException(
          "(" + directory + ")", null, "cannot list the view directory: " + e.getMessage(), e);
    }
    files.sort(null);
    List<CompiledView> views = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (Path file : files) {
      CompiledView view = load(file);
      String name = view.name();
      String before = name == null ? null : names.putIfAbsent(name, file.getFileName().toString());
      if (before != null) {
        throw new ViewDefinitionException(
            view.definition().label(),
            "name",
            "another view in the directory has the name '"
                + name
                + "' ("
                + before
                + "); view names must be unique, each names a table");
      }
      views.add(view);
    }
    LOG.info(
        "Loaded {} views from {}: {}",
        views.size(),
        directory,
        views.stream().map(v -> v.name() + " (" + v.resourceType() + ")").toList());
    return views;
  }

  /** The HAPI context the runner parses with. */
  public FhirContext fhirContext() {
    return context;
  }
}
