package io.fhirstream.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every canary the workloads planted, and the scan of logs for them. */
final class CanaryLedger {
  private final Set<String> canaries = ConcurrentHashMap.newKeySet();

  void addAll(Set<String> planted) {
    canaries.addAll(planted);
  }

  int size() {
    return canaries.size();
  }

  /** Lines of the files that contain a canary: must be none. Reports file and line number only. */
  List<String> scan(List<Path> files) throws IOException {
    java.util.ArrayList<String> hits = new java.util.ArrayList<>();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        for (String canary : canaries) {
          if (line.contains(canary)) {
            hits.add(file.getFileName() + ":" + (i + 1));
            break;
          }
        }
      }
    }
    return hits;
  }
}
