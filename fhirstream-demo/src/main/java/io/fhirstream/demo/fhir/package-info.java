/**
 * An in-process FHIR R4 server for demos, tests and benchmarks: {@link
 * io.fhirstream.demo.fhir.DemoFhirServer} (HAPI RestfulServer on Jetty) over an in-memory,
 * versioned {@link io.fhirstream.demo.fhir.ResourceStore} that behaves like HAPI JPA for the
 * interactions change capture uses: type history with {@code _since} and stable paging, and search
 * by {@code _lastUpdated}. It lives in the app, never on a library's classpath.
 */
package io.fhirstream.demo.fhir;
