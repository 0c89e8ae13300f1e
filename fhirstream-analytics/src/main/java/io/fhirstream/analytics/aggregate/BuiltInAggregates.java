package io.fhirstream.analytics.aggregate;

import java.util.List;

/**
 * The aggregates fhirstream ships, over the built-in views, as classpath resources for {@link
 * AggregateJsonReader#fromClasspath}: they work on any FHIR R4 server with no configuration.
 */
public final class BuiltInAggregates {
  private static final String DIR = "io/fhirstream/analytics/aggregates/";

  /** Every built-in aggregate, in the order they are listed in documentation. */
  public static final List<String> ALL =
      List.of(
          DIR + "patients_by_gender.json",
          DIR + "patients_by_age_band.json",
          DIR + "patients_by_state.json",
          DIR + "patients_by_city.json",
          DIR + "observations_per_code_hourly.json",
          DIR + "heart_rate_daily.json",
          DIR + "body_weight_daily.json");

  private BuiltInAggregates() {}
}
