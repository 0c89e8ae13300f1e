package io.fhirstream.cli;

import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.TopicSetup;
import io.fhirstream.kafka.publish.KafkaEventPublisher;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.source.SourceConfig;
import io.fhirstream.source.reconcile.Reconciler;
import io.fhirstream.source.reconcile.TypeDrift;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Compares the store with the FHIR server, type by type, and repairs the drift through the hub. */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description = {
      "Compares the store with the FHIR server for every type of source.resource-types (ids,"
          + " versions, deletions) and reports the drift per type. With --repair, re-publishes the"
          + " server's current version (or deletion) of each drifted resource to the hub, where"
          + " the sink applies it through the version guard like any change. Exit 0 when in sync"
          + " (or repaired), 3 when drift remains. Reads the same settings as run."
    })
public final class ReconcileCommand implements Callable<Integer> {
  /** Drift was found and not (all) repaired. */
  static final int EXIT_DRIFT = 3;

  @Mixin ConfigOptions config;

  @Spec CommandSpec spec;

  @Option(
      names = "--repair",
      description =
          "Re-publish the missing, stale and deleted resources to the hub; a running sink (or the"
              + " next one) writes them.")
  boolean repair;

  @Option(
      names = "--list",
      description = "Also print the ids of the drifted resources (ids only, never contents).")
  boolean list;

  @Option(
      names = "--page-size",
      defaultValue = "500",
      description = "Resources per search page read from the server (default: ${DEFAULT-VALUE}).")
  int pageSize;

  @Override
  public Integer call() {
    OptionChecks.atLeast(spec, "--page-size", pageSize, 1);
    Settings settings = Settings.parse(config.raw(Map.of()), EnumSet.of(Role.SOURCE, Role.SINK));
    SourceConfig source =
        SourceConfig.from(settings.sourceConfig(), settings.runtime().resourceTypes());
    if (source.allTypes()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "source.resource-types=* : reconcile needs the types listed, e.g."
              + " --set source.resource-types=Patient,Observation");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<TypeDrift> drifts = new ArrayList<>();
    int published = 0;
    try (DocumentReader reader = settings.storeFactory().createReader(settings.storeConfig())) {
      Reconciler reconciler =
          new Reconciler(source.newHttpClient(3, source.newCredentials()), reader, pageSize);
      for (String type : source.resourceTypes()) {
        TypeDrift drift = reconciler.compare(type);
        drifts.add(drift);
        print(drift, out, list);
      }
      if (repair && drifts.stream().anyMatch(d -> d.repairable() > 0)) {
        TopicSetup.ensure(settings.hub(), source.resourceTypes());
        try (KafkaEventPublisher publisher =
            new KafkaEventPublisher(
                KafkaClients.producer(settings.hub(), "fhirstream-reconcile"),
                new EventCodec(
                    settings.hub(), source.baseUrl(), settings.runtime().jsonLimits()))) {
          for (TypeDrift drift : drifts) {
            published += reconciler.repair(drift, publisher);
          }
        }
        out.printf(
            "repair: %,d events re-published to the hub; a running sink writes them (check with"
                + " reconcile again once it has caught up)%n",
            published);
      }
    }
    long unrepaired =
        drifts.stream().mapToLong(d -> repair ? d.drifted() - d.repairable() : d.drifted()).sum();
    long total = drifts.stream().mapToLong(TypeDrift::drifted).sum();
    out.printf(
        "%s%n",
        total == 0
            ? "in sync: the store equals the server"
            : repair
                ? String.format(
                    "%,d drifted, %,d re-published, %,d left for a person",
                    total, published, unrepaired)
                : String.format(
                    "%,d drifted; --repair re-publishes the missing, stale and deleted ones",
                    total));
    out.flush();
    return unrepaired == 0 ? 0 : EXIT_DRIFT;
  }

  private static void print(TypeDrift drift, PrintWriter out, boolean list) {
    out.printf(
        "%-20s server %,d, store %,d: %s%n",
        drift.type(),
        drift.onServer(),
        drift.inStore(),
        drift.inSync()
            ? "in sync"
            : String.format(
                "%,d missing, %,d stale, %,d deleted on the server, %,d ahead of the server, %,d"
                    + " unknown to the server",
                drift.missing().size(),
                drift.stale().size(),
                drift.deleted().size(),
                drift.ahead().size(),
                drift.unknown().size()));
    if (list) {
      listIds(out, "missing", drift.missing());
      listIds(out, "stale", drift.stale());
      listIds(out, "deleted", drift.deleted());
      listIds(out, "ahead", drift.ahead());
      listIds(out, "unknown", drift.unknown());
    }
  }

  private static void listIds(PrintWriter out, String kind, List<String> ids) {
    if (!ids.isEmpty()) {
      out.printf("  %s: %s%n", kind, String.join(", ", ids));
    }
  }
}
