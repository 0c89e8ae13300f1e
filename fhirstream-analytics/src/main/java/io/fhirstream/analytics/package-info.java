/**
 * The analytics role's library: {@link io.fhirstream.analytics.AnalyticsDefinitions} (the views and
 * aggregates to keep current, checked at load), {@link io.fhirstream.analytics.AnalyticsEngine}
 * (one thread's compiled definitions: parse once, rows and contributions) and {@link
 * io.fhirstream.analytics.AnalyticsConfig} (the {@code analytics.*} settings). Subpackages: {@code
 * view} (SQL on FHIR views), {@code aggregate} (aggregate definitions and retractable results),
 * {@code stream} (the Kafka Streams topology), {@code results} (the results sink into a store) and
 * {@code verify} (the reconciliation check).
 *
 * <p>Depends on fhirstream-api, Kafka Streams and the Kafka clients; the runtime assembles the
 * role.
 */
package io.fhirstream.analytics;
