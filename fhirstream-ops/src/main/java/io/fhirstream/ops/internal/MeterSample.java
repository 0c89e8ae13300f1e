package io.fhirstream.ops.internal;

/**
 * The pipeline's meters at one moment: what the dashboard's charts and rates are computed from.
 *
 * @param nanos the clock's monotonic time, for intervals
 * @param wallMillis the wall time, for the charts' axis
 */
record MeterSample(
    long nanos,
    long wallMillis,
    double published,
    double written,
    double lag,
    LatencyHistogram latency) {}
