package io.fhirstream.analytics.view;

import java.util.List;

/**
 * The views fhirstream ships, as classpath resources for {@link ViewRunner#loadClasspath}. Their
 * columns feed the default aggregates: patients by gender, age band, state and city; observations
 * per LOINC code per hour; average heart rate and body weight per patient per day.
 */
public final class BuiltInViews {
  /**
   * {@code patient_demographics} over Patient: {@code patient_id} (getResourceKey()), {@code
   * gender}, {@code birth_date}, {@code deceased}, {@code deceased_date_time}, {@code
   * last_updated}, and {@code city}, {@code state}, {@code postal_code} of the home address (else
   * the first address).
   */
  public static final String PATIENT_DEMOGRAPHICS =
      "io/fhirstream/analytics/views/patient_demographics.json";

  /**
   * {@code observation_values} over Observation: {@code observation_id}, {@code patient_id}
   * (subject.getReferenceKey(Patient)), {@code loinc_code}, {@code loinc_display}, {@code
   * effective_date_time} (effectiveDateTime, else effectiveInstant, else effectivePeriod.start,
   * else issued), {@code value}, {@code unit}, {@code unit_code}, {@code status} and {@code
   * last_updated}.
   */
  public static final String OBSERVATION_VALUES =
      "io/fhirstream/analytics/views/observation_values.json";

  /** All of them. */
  public static final List<String> ALL = List.of(PATIENT_DEMOGRAPHICS, OBSERVATION_VALUES);

  private BuiltInViews() {}
}
