/**
 * A fault-injecting HTTP reverse proxy to put between fhirstream's change capture and a FHIR
 * server: {@link io.fhirstream.fault.proxy.FaultyProxy} forwards every request to the server and,
 * per a seeded {@link io.fhirstream.fault.proxy.FaultPlan}, answers some history, search and paging
 * reads with a {@link io.fhirstream.fault.proxy.Fault} instead (throttling, server errors,
 * connection resets, truncated bodies, stalls, expired paging links). Writes and {@code /metadata}
 * always pass untouched.
 */
package io.fhirstream.fault.proxy;
