/**
 * The operator HTTP endpoint: Prometheus metrics ({@code /metrics}), Kubernetes probes ({@code
 * /health/live}, {@code /health/ready}) and the live dashboard ({@code /}, {@code /api/dashboard},
 * {@code /api/dashboard/stream}).
 *
 * <p>The runtime starts one {@link io.fhirstream.ops.OperatorEndpoint}, registers the meters named
 * in {@link io.fhirstream.ops.MeterNames}, and feeds what meters cannot say through {@link
 * io.fhirstream.ops.HealthCheck} and {@link io.fhirstream.ops.DashboardSource}. Nothing here
 * depends on another fhirstream module. No endpoint ever shows a resource body, a patient's id or a
 * secret: the only text shown is meter tags (resource types, topics, dead-letter reasons) and what
 * those two interfaces return, which their contracts require to be free of both.
 */
package io.fhirstream.ops;
