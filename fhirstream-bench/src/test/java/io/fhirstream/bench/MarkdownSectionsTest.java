package io.fhirstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownSectionsTest {
  private static final String EXISTING =
      "# Performance\n\nold preamble\n\n## Backfill: 10 patients\n\nold backfill\n\n"
          + "## Why (by hand)\n\nanalysis\n\n## Sustained run (not yet measured)\n\ntodo\n";

  @Test
  void replacesSectionsOfTheSameNameAndKeepsTheRest() {
    String merged =
        MarkdownSections.replace(
            EXISTING, "\n## Sustained run: 5,000 changes/s for 10 min\n\nfigures\n");

    assertThat(merged)
        .isEqualTo(
            "# Performance\n\nold preamble\n\n## Backfill: 10 patients\n\nold backfill\n\n"
                + "## Why (by hand)\n\nanalysis\n\n"
                + "## Sustained run: 5,000 changes/s for 10 min\n\nfigures\n");
  }

  @Test
  void newPreambleReplacesTheOldAndNewSectionsAreAppended() {
    String merged =
        MarkdownSections.replace(
            EXISTING,
            "# Performance\n\nnew preamble\n\n## Backfill: 20 patients\n\nnew\n\n## Latency: x\n\ny\n");

    assertThat(merged)
        .startsWith("# Performance\n\nnew preamble\n\n## Backfill: 20 patients\n\nnew\n\n## Why")
        .contains("## Sustained run (not yet measured)\n\ntodo")
        .endsWith("## Latency: x\n\ny\n");
  }

  @Test
  void intoAnEmptyFile() {
    assertThat(MarkdownSections.replace("", "# P\n\n## A: 1\n\nx\n"))
        .isEqualTo("# P\n\n## A: 1\n\nx\n");
  }
}
