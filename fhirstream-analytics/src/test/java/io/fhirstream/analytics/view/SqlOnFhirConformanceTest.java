package io.fhirstream.analytics.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the official SQL on FHIR v2 test suite (src/test/resources/sql-on-fhir-v2, MIT licence) case
 * by case and writes the report, in the suite's report format, to {@code
 * docs/sql-on-fhir-test-report.json}.
 *
 * <p>A case applies to R4 when its file's {@code fhirVersion} lists 4.0.1 or is absent, and it is
 * not in {@link #NOT_FOR_R4}; every such case must pass. Rows are compared as a multiset (the suite
 * orders none of its expectations), numbers by value ({@code 5} equals {@code 5.0}), collection
 * columns in order, and every expected row must have the same columns as the view.
 */
class SqlOnFhirConformanceTest {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          // 1.0 must reach the parser as 1.0: a decimal's precision is part of its FHIR value.
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  /**
   * Cases that cannot apply to FHIR R4, by "file / title", with the reason. Empty: every case of
   * this copy of the suite that lists R4 uses only R4 types and elements.
   */
  static final Map<String, String> NOT_FOR_R4 = Map.of();

  private static final ViewRunner RUNNER = ViewRunner.forR4();

  /** file name to its cases' outcomes, in suite order, for the report. */
  private static final Map<String, List<Outcome>> OUTCOMES = new TreeMap<>();

  record Outcome(String title, boolean applies, boolean passed, String detail) {}

  @TestFactory
  Stream<DynamicContainer> suite() throws IOException, URISyntaxException {
    List<DynamicContainer> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(suiteDirectory())) {
      for (Path file : list.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        files.add(file(file));
      }
    }
    assertThat(files).as("suite files").hasSize(22);
    return files.stream();
  }

  private DynamicContainer file(Path file) throws IOException {
    String fileName = file.getFileName().toString();
    JsonNode suite = JSON.readTree(file.toFile());
    boolean forR4 =
        !suite.has("fhirVersion") || suite.get("fhirVersion").toString().contains("\"4.0.1\"");
    List<ParsedResource> resources = new ArrayList<>();
    for (JsonNode r : suite.get("resources")) {
      resources.add(RUNNER.parse(JSON.writeValueAsString(r)));
    }
    List<Outcome> outcomes = new ArrayList<>();
    OUTCOMES.put(fileName, outcomes);
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode test : suite.get("tests")) {
      String title = test.get("title").asText();
      String exclusion = NOT_FOR_R4.get(fileName + " / " + title);
      int slot = outcomes.size();
      outcomes.add(null);
      tests.add(
          DynamicTest.dynamicTest(
              title,
              () -> {
                boolean applies = forR4 && exclusion == null;
                String failure = run(fileName, test, resources);
                outcomes.set(
                    slot,
                    new Outcome(
                        title,
                        applies,
                        failure == null,
                        failure != null
                            ? failure
                            : applies
                                ? null
                                : "not applicable to FHIR R4: "
                                    + (exclusion != null
                                        ? exclusion
                                        : "the file lists no R4 version")));
                if (applies) {
                  assertThat(failure).as(fileName + " / " + title).isNull();
                }
              }));
    }
    return DynamicContainer.dynamicContainer(fileName, tests);
  }

  /** Runs one case; {@code null} if it passed, else what went wrong. */
  static String run(String fileName, JsonNode test, List<ParsedResource> resources)
      throws IOException {
    boolean expectError = test.path("expectError").asBoolean(false);
    CompiledView view;
    List<Map<String, Object>> rows = new ArrayList<>();
    try {
      view =
          RUNNER.compile(
              ViewDefinition.fromJson(JSON.writeValueAsString(test.get("view")), fileName));
      for (ParsedResource r : resources) {
        if (r.resourceType().equals(view.resourceType())) {
          view.rows(r).forEach(row -> rows.add(row.asMap()));
        }
      }
    } catch (ViewDefinitionException | ViewEvaluationException e) {
      return expectError ? null : "unexpected error: " + e.getMessage();
    }
    if (expectError) {
      return "expected an error, got " + rows.size() + " rows";
    }
    if (test.has("expectColumns")) {
      List<String> expected = new ArrayList<>();
      test.get("expectColumns").forEach(c -> expected.add(c.asText()));
      List<String> actual = view.columns().stream().map(ViewColumn::name).toList();
      if (!expected.equals(actual)) {
        return "columns " + actual + ", expected " + expected;
      }
    }
    if (test.has("expectCount")) {
      int expected = test.get("expectCount").asInt();
      return rows.size() == expected ? null : rows.size() + " rows, expected " + expected;
    }
    return compareRows(test.get("expect"), rows);
  }

  static String compareRows(JsonNode expect, List<Map<String, Object>> rows) {
    List<JsonNode> actual = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      actual.add(JSON.valueToTree(row));
    }
    List<JsonNode> unmatched = new ArrayList<>(actual);
    for (JsonNode expected : expect) {
      Iterator<JsonNode> it = unmatched.iterator();
      boolean found = false;
      while (it.hasNext()) {
        if (same(expected, it.next())) {
          it.remove();
          found = true;
          break;
        }
      }
      if (!found) {
        return "expected row " + expected + " not found in " + actual;
      }
    }
    return unmatched.isEmpty() ? null : "unexpected rows " + unmatched;
  }

  private static boolean same(JsonNode expected, JsonNode actual) {
    if (expected.isNumber() && actual.isNumber()) {
      return decimal(expected).compareTo(decimal(actual)) == 0;
    }
    if (expected.isObject() && actual.isObject()) {
      if (expected.size() != actual.size()) {
        return false;
      }
      for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!actual.has(name) || !same(expected.get(name), actual.get(name))) {
          return false;
        }
      }
      return true;
    }
    if (expected.isArray() && actual.isArray()) {
      if (expected.size() != actual.size()) {
        return false;
      }
      for (int i = 0; i < expected.size(); i++) {
        if (!same(expected.get(i), actual.get(i))) {
          return false;
        }
      }
      return true;
    }
    return expected.equals(actual);
  }

  private static BigDecimal decimal(JsonNode n) {
    return n.decimalValue();
  }

  @AfterAll
  static void writeReport() throws IOException {
    ObjectNode report = JsonNodeFactory.instance.objectNode();
    int applicable = 0;
    int passed = 0;
    int notForR4 = 0;
    for (Map.Entry<String, List<Outcome>> file : OUTCOMES.entrySet()) {
      ArrayNode tests = report.putObject(file.getKey()).putArray("tests");
      for (Outcome o : file.getValue()) {
        if (o == null) {
          continue; // the file's cases did not run (a filtered run)
        }
        ObjectNode result = tests.addObject().put("name", o.title()).putObject("result");
        result.put("passed", o.passed());
        if (o.detail() != null) {
          result.put("error", o.detail());
        }
        if (o.applies()) {
          applicable++;
          passed += o.passed() ? 1 : 0;
        } else {
          notForR4++;
        }
      }
    }
    Path docs = repositoryRoot().resolve("docs");
    if (applicable + notForR4 == 134 && Files.isDirectory(docs)) {
      // Only a full run rewrites the committed report; the summary goes to the test output.
      Files.writeString(
          docs.resolve("sql-on-fhir-test-report.json"), JSON.writeValueAsString(report) + "\n");
    }
    System.out.printf(
        "SQL on FHIR v2 suite: %d of %d R4 cases passed; %d not for R4%n",
        passed, applicable, notForR4);
  }

  private static Path suiteDirectory() throws URISyntaxException {
    return Path.of(
        SqlOnFhirConformanceTest.class
            .getClassLoader()
            .getResource("sql-on-fhir-v2/tests")
            .toURI());
  }

  private static Path repositoryRoot() {
    Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    return module.toAbsolutePath().getParent();
  }
}
