package io.fhirstream.bench;

import java.util.List;

/** The stores section of docs/PERFORMANCE.md. */
public final class StoreReport {
  private static final double TARGET = 0.70;
  private static final List<String> TARGETED = List.of("sqlite", "postgres");

  private StoreReport() {}

  public static String toMarkdown(List<StoreBenchmark.Result> results) {
    StringBuilder out = new StringBuilder();
    out.append(
            String.format(
                "%n## Stores: the sink drained from Kafka vs each store's driver alone%n%n"
                    + "Each store gets the same %,d synthetic Patients (one version each),"
                    + " produced to a topic first. *Drained* is the sink reading them back from"
                    + " Kafka (decode, version-guarded write, flush, offset commit), timed from"
                    + " the first committed batch to the last; *driver alone* is plain batched"
                    + " upserts by id with the store's own driver, no guard, no Kafka, into a"
                    + " scratch table. Target: SQLite and PostgreSQL ≥ 70 %% of their driver."
                    + " The servers behind PostgreSQL, Cosmos DB and MongoDB are the test servers"
                    + " (`bench/stores.sh` starts them): embedded PostgreSQL is the real server;"
                    + " the Cosmos DB and MongoDB ones are independent in-memory implementations,"
                    + " so their absolute figures say nothing about Azure or MongoDB.%n%n",
                results.isEmpty() ? 0 : results.get(0).documents()))
        .append("| store | drained (docs/s) | driver alone (docs/s) | ratio | target |\n")
        .append("|---|---:|---:|---:|---|\n");
    for (StoreBenchmark.Result result : results) {
      String target =
          TARGETED.contains(result.store())
              ? (result.ratio() >= TARGET ? "≥ 70 %: met" : "≥ 70 %: **not met**")
              : "—";
      out.append(
          String.format(
              "| %s | %,.0f | %,.0f | %.0f %% | %s |%n",
              result.store(),
              result.drained(),
              result.driverCeiling(),
              100 * result.ratio(),
              target));
    }
    return out.toString();
  }
}
