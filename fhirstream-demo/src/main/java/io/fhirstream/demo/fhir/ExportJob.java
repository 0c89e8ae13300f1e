package io.fhirstream.demo.fhir;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One {@code $export} job: the versions current at its {@code transactionTime}, split into files.
 * Immutable once built, except that its files are filled in by the background snapshot.
 */
final class ExportJob {
  /** One NDJSON file: the versions it holds, written verbatim as stored. */
  record File(String type, List<ResourceVersion> versions) {}

  final String id;
  final String request;
  final List<String> types;
  final Instant since; // null for everything
  final Instant kickOff;
  private volatile Instant transactionTime;
  private volatile List<File> files; // null while the snapshot runs

  ExportJob(String id, String request, List<String> types, Instant since, Instant kickOff) {
    this.id = id;
    this.request = request;
    this.types = List.copyOf(types);
    this.since = since;
    this.kickOff = kickOff;
  }

  Instant transactionTime() {
    return transactionTime;
  }

  /** The files, or null while the snapshot runs. */
  List<File> files() {
    return files;
  }

  /**
   * Takes the snapshot: the transaction time first, then per type every resource's newest version
   * at or before it (deleted ones left out), so the files are consistent with that time.
   */
  void snapshot(ResourceStore store, int perFile) {
    long time = store.clock().next();
    List<File> out = new ArrayList<>();
    for (String type : types) {
      TypeStore typeStore = store.type(type);
      // Waits for a write in flight, whose timestamp may be at or before `time`, to be logged.
      int upper = typeStore.settledSize();
      List<ResourceVersion> current = new ArrayList<>();
      for (ResourceVersion latest : typeStore.latestById().values()) {
        ResourceVersion version = latest.asOf(upper);
        while (version != null && version.lastUpdatedMillis() > time) {
          version = version.previous();
        }
        if (version != null
            && !version.deleted()
            && (since == null || !version.lastUpdated().isBefore(since))) {
          current.add(version);
        }
      }
      current.sort(Comparator.comparingLong(ResourceVersion::lastUpdatedMillis));
      for (int i = 0; i < current.size(); i += perFile) {
        out.add(
            new File(type, List.copyOf(current.subList(i, Math.min(current.size(), i + perFile)))));
      }
    }
    transactionTime = Instant.ofEpochMilli(time);
    files = List.copyOf(out);
  }
}
