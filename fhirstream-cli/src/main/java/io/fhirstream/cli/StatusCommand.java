package io.fhirstream.cli;

import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.ops.PipelineStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Where a pipeline stands, read from Kafka and the store; it need not be running. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows where a pipeline stands, running or stopped: each type's capture cursor (from the"
          + " cursor topic), the sink group's lag per partition, the dead letters, and the"
          + " store's documents per type. Reads the same settings as run."
    })
public final class StatusCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Settings settings = Settings.parse(config.raw(Map.of()), EnumSet.of(Role.SINK));
    PipelineStatus status = PipelineStatus.read(settings);
    print(status, settings, Instant.now(), spec.commandLine().getOut());
    return 0;
  }

  static void print(PipelineStatus status, Settings settings, Instant now, PrintWriter out) {
    out.printf("cursors (topic %s):%n", settings.hub().cursorTopic());
    if (status.cursors().isEmpty()) {
      out.println("  none yet: no source has committed a position");
    }
    for (PipelineStatus.Cursor cursor : status.cursors()) {
      out.printf(
          "  %-20s %s   (%s)%n",
          cursor.type(),
          cursor.position() == null
              ? "first load running since " + cursor.firstLoadStarted()
              : cursor.position() + ", " + ago(cursor.age(now)) + " ago",
          cursor.source());
    }
    out.printf("sink group %s: lag %,d%n", settings.runtime().groupId(), status.totalLag());
    for (PipelineStatus.PartitionLag partition : status.lag()) {
      out.printf(
          "  %-30s committed %-10s end %-10d lag %,d%n",
          partition.topic() + "-" + partition.partition(),
          partition.committed() < 0 ? "-" : Long.toString(partition.committed()),
          partition.end(),
          partition.lag());
    }
    out.printf(
        "dead letters (topic %s): %,d%n", settings.hub().deadLetterTopic(), status.deadLetters());
    if (status.storeProblem() != null) {
      out.printf(
          "store (%s): unreadable: %s%n", settings.storeFactory().name(), status.storeProblem());
    } else {
      out.printf("store (%s):%n", settings.storeFactory().name());
      if (status.store().isEmpty()) {
        out.println("  empty");
      }
      status
          .store()
          .forEach(
              (type, count) ->
                  out.printf(
                      "  %-20s %,d (%,d deleted)%n", type, count.current(), count.deleted()));
    }
    out.flush();
  }

  private static String ago(Duration age) {
    long seconds = Math.max(0, age.toSeconds());
    if (seconds < 120) {
      return seconds + " s";
    }
    if (seconds < 7200) {
      return seconds / 60 + " min";
    }
    return seconds / 3600 + " h";
  }
}
