/**
 * The operator's view of a running pipeline: the operator endpoint of {@code fhirstream-ops}
 * ({@code /metrics}, {@code /health/live}, {@code /health/ready}, the dashboard) fed from the
 * pipeline. {@link io.fhirstream.runtime.ops.OperatorRuntime} starts it before the pipeline, so its
 * Prometheus registry sees every meter from the first count, and {@link
 * io.fhirstream.runtime.ops.OperatorRuntime#attach} connects it to the pipeline once started: the
 * health checks (pipeline, Kafka, store, source) and the dashboard's store counts, dead letters and
 * first-load progress.
 */
package io.fhirstream.runtime.ops;
