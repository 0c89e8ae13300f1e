package io.fhirstream.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refreshes a generated report in place: each {@code ## } section of the new text replaces the
 * section of the same name in the old one, and everything else (the hand-written analysis, the
 * figures of runs not repeated this time) stays. A section's name is its heading up to the first
 * {@code :} or {@code (}, so "## Latency: 1,000 changes/s" replaces "## Latency: 500 changes/s".
 */
public final class MarkdownSections {
  private MarkdownSections() {}

  public static String replace(String existing, String generated) {
    Map<String, String> fresh = split(generated);
    Map<String, String> merged = split(existing);
    String preamble = fresh.remove("");
    if (preamble != null && !preamble.isBlank()) {
      merged.put("", preamble);
    }
    merged.putAll(fresh);
    StringBuilder out = new StringBuilder();
    merged.values().forEach(section -> out.append(section.strip()).append("\n\n"));
    return out.toString().strip() + "\n";
  }

  /** Sections by name, in order; the text before the first section is named "". */
  private static Map<String, String> split(String markdown) {
    Map<String, String> sections = new LinkedHashMap<>();
    String name = "";
    List<String> lines = new ArrayList<>();
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("## ")) {
        sections.put(name, String.join("\n", lines));
        lines.clear();
        name = nameOf(line);
      }
      lines.add(line);
    }
    sections.put(name, String.join("\n", lines));
    return sections;
  }

  private static String nameOf(String heading) {
    String title = heading.substring(3);
    int end = title.length();
    for (char stop : new char[] {':', '('}) {
      int at = title.indexOf(stop);
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    return title.substring(0, end).trim();
  }
}
