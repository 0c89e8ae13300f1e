/**
 * Synthetic, reproducible FHIR R4 patient data for demos and benchmarks ({@link
 * io.fhirstream.app.demo.patients.SyntheticPatients}): realistic enough to exercise real pipelines,
 * and never derived from real people.
 */
package io.fhirstream.app.demo.patients;
