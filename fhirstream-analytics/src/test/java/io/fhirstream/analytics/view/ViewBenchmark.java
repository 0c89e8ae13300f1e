package io.fhirstream.analytics.view;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBase;

/**
 * Measures µs per resource for parsing and for evaluating views, over the Patient and Observation
 * resources of a folder of Synthea R4 bundles. A manual benchmark (it needs those bundles), not a
 * test:
 *
 * <pre>
 * ./mvnw -q -pl fhirstream-analytics test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.fhirstream.analytics.view.ViewBenchmark \
 *   -Dexec.args=/path/to/synthea-r4
 * </pre>
 *
 * <p>Compared: the two JSON parsers that produce the R4 model (HAPI's and the HL7 core library's);
 * this engine (the HL7 R4 FHIRPath engine on expressions parsed once, with SQL on FHIR functions as
 * host services); and the same views' paths through HAPI's {@code IFhirPath} wrapper of that
 * engine, which cannot host getResourceKey()/getReferenceKey() so plain paths stand in for them.
 * Each figure is the best of five timed rounds after warm-up, in wall time and in the thread's CPU
 * time (the latter shows less of a machine shared with other work).
 */
public final class ViewBenchmark {
  private static final int ROUNDS = 5;

  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args.length > 0 ? args[0] : "../shared/data/synthea-r4");
    List<byte[]> patients = new ArrayList<>();
    List<byte[]> observations = new ArrayList<>();
    load(folder, patients, observations);
    System.out.printf(
        Locale.ROOT,
        "%d patients, %d observations from %s%n",
        patients.size(),
        observations.size(),
        folder);

    ViewRunner runner = ViewRunner.forR4();
    CompiledView demographics = runner.loadClasspath(BuiltInViews.PATIENT_DEMOGRAPHICS);
    CompiledView values = runner.loadClasspath(BuiltInViews.OBSERVATION_VALUES);
    CompiledView components =
        runner.compile(
            ViewDefinition.fromJson(
                """
        {"name": "observation_components", "resource": "Observation",
         "select": [{"column": [{"name": "id", "path": "getResourceKey()"},
                                {"name": "patient", "path": "subject.getReferenceKey(Patient)"}]},
                    {"forEach": "component", "column": [
                      {"name": "code", "path": "code.coding.where(system='http://loinc.org').code.first()"},
                      {"name": "value", "path": "value.ofType(Quantity).value"},
                      {"name": "unit", "path": "value.ofType(Quantity).code"}]}]}""",
                "bench"));

    FhirContext ctx = runner.fhirContext();
    IParser hapi = ctx.newJsonParser();
    org.hl7.fhir.r4.formats.JsonParser core = new org.hl7.fhir.r4.formats.JsonParser();
    List<ParsedResource> parsedPatients = patients.stream().map(runner::parse).toList();
    List<ParsedResource> parsedObservations = observations.stream().map(runner::parse).toList();

    report(
        "parse Patient, HAPI IParser",
        patients,
        b ->
            hapi.parseResource(
                new java.io.InputStreamReader(
                    new ByteArrayInputStream(b), java.nio.charset.StandardCharsets.UTF_8)));
    report(
        "parse Patient, HL7 core JsonParser",
        patients,
        b -> {
          try {
            core.parse(b);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    report(
        "parse Observation, HAPI IParser",
        observations,
        b ->
            hapi.parseResource(
                new java.io.InputStreamReader(
                    new ByteArrayInputStream(b), java.nio.charset.StandardCharsets.UTF_8)));
    report(
        "parse Observation, HL7 core JsonParser",
        observations,
        b -> {
          try {
            core.parse(b);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    ViewRunner keepsNarrative = ViewRunner.forR4();
    keepsNarrative.compile(
        ViewDefinition.fromJson(
            """
        {"name": "narrative", "resource": "Patient",
         "select": [{"column": [{"name": "status", "path": "text.status"}]}]}""",
            "bench"));
    report("ViewRunner.parse Patient (narrative left out)", patients, runner::parse);
    report("ViewRunner.parse Patient, narrative kept", patients, keepsNarrative::parse);
    report("ViewRunner.parse Observation", observations, runner::parse);

    report("rows patient_demographics", parsedPatients, demographics::rows);
    report("rows observation_values", parsedObservations, values::rows);
    report("rows observation_components", parsedObservations, components::rows);

    IFhirPath fhirPath = ctx.newFhirPath();
    List<IFhirPath.IParsedExpression> patientPaths =
        parseAll(
            fhirPath,
            "id",
            "gender",
            "birthDate",
            "deceased.ofType(dateTime).exists() or deceased.ofType(boolean).where($this = true)"
                + ".exists()",
            "deceased.ofType(dateTime)",
            "meta.lastUpdated");
    IFhirPath.IParsedExpression address =
        fhirPath.parse("address.where(use = 'home').combine(address).first()");
    List<IFhirPath.IParsedExpression> addressPaths =
        parseAll(fhirPath, "city", "state", "postalCode");
    List<IFhirPath.IParsedExpression> observationPaths =
        parseAll(
            fhirPath,
            "id",
            "subject.reference",
            "code.coding.where(system = 'http://loinc.org').code.first()",
            "code.coding.where(system = 'http://loinc.org').display.first()",
            "effective.ofType(dateTime).combine(effective.ofType(instant))"
                + ".combine(effective.ofType(Period).start).combine(issued).first()",
            "value.ofType(Quantity).value",
            "value.ofType(Quantity).unit",
            "value.ofType(Quantity).code",
            "status",
            "meta.lastUpdated");
    report(
        "HAPI IFhirPath, patient_demographics paths",
        parsedPatients,
        p -> {
          for (IFhirPath.IParsedExpression e : patientPaths) {
            fhirPath.evaluate(p.resource(), e, IBase.class);
          }
          for (IBase a : fhirPath.evaluate(p.resource(), address, IBase.class)) {
            for (IFhirPath.IParsedExpression e : addressPaths) {
              fhirPath.evaluate(a, e, IBase.class);
            }
          }
        });
    report(
        "HAPI IFhirPath, observation_values paths",
        parsedObservations,
        p -> {
          for (IFhirPath.IParsedExpression e : observationPaths) {
            fhirPath.evaluate(p.resource(), e, IBase.class);
          }
        });

    List<IFhirPath.IParsedExpression> plainPaths =
        parseAll(
            fhirPath,
            "id",
            "gender",
            "birthDate",
            "meta.lastUpdated",
            "address.first().city",
            "address.first().state",
            "address.first().postalCode");
    report(
        "HAPI IFhirPath, patient paths without ofType",
        parsedPatients,
        p -> {
          for (IFhirPath.IParsedExpression e : plainPaths) {
            fhirPath.evaluate(p.resource(), e, IBase.class);
          }
        });

    report("parse + all views, Patient", patients, b -> demographics.rows(runner.parse(b)));
    report(
        "parse + all views, Observation",
        observations,
        b -> {
          ParsedResource r = runner.parse(b);
          values.rows(r);
          components.rows(r);
        });
  }

  private static List<IFhirPath.IParsedExpression> parseAll(IFhirPath fhirPath, String... paths)
      throws Exception {
    List<IFhirPath.IParsedExpression> out = new ArrayList<>();
    for (String p : paths) {
      out.add(fhirPath.parse(p));
    }
    return out;
  }

  private static <T> void report(String what, List<T> items, Consumer<T> work) {
    try {
      work.accept(items.get(0));
    } catch (RuntimeException e) {
      // HAPI's wrapper has no R4 type definitions unless the validation resources jar is added.
      System.out.printf(Locale.ROOT, "%-48s fails: %s%n", what, e.getMessage());
      return;
    }
    // Warm-up: enough passes for the JIT to compile the hot paths.
    long until = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < until) {
      items.forEach(work);
    }
    double best = Double.MAX_VALUE;
    double bestCpu = Double.MAX_VALUE;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < ROUNDS; round++) {
      int passes = Math.max(1, 20_000 / items.size());
      long start = System.nanoTime();
      long startCpu = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < passes; i++) {
        items.forEach(work);
      }
      long n = (long) passes * items.size();
      best = Math.min(best, (System.nanoTime() - start) / 1000.0 / n);
      bestCpu = Math.min(bestCpu, (threads.getCurrentThreadCpuTime() - startCpu) / 1000.0 / n);
    }
    System.out.printf(Locale.ROOT, "%-48s %8.1f us/resource (cpu %6.1f us)%n", what, best, bestCpu);
  }

  private static void load(Path folder, List<byte[]> patients, List<byte[]> observations)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith("patient-")).sorted().toList()) {
        for (JsonNode entry : json.readTree(f.toFile()).path("entry")) {
          JsonNode r = entry.path("resource");
          String type = r.path("resourceType").asText();
          if (type.equals("Patient")) {
            patients.add(json.writeValueAsBytes(r));
          } else if (type.equals("Observation")) {
            observations.add(json.writeValueAsBytes(r));
          }
        }
      }
    }
  }
}
