package io.fhirstream.ops;

/** Reads values out of a Prometheus text scrape the way a query would: by name, summed. */
final class Scrape {
  private Scrape() {}

  /** {@code sum(name)}: every series of the metric, whatever its labels. */
  static double sum(String scrape, String name) {
    return scrape
        .lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The one series with exactly these labels, as written: {@code type="Patient"}. */
  static double value(String scrape, String name, String labels) {
    String prefix = name + "{" + labels + "} ";
    return scrape
        .lines()
        .filter(line -> line.startsWith(prefix))
        .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no series " + prefix + " in the scrape"));
  }
}
