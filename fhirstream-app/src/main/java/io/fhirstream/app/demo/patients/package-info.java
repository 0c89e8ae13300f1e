/**
 * Synthetic, reproducible FHIR R4 patient data for demos and benchmarks: patients ({@link
 * io.fhirstream.app.demo.patients.SyntheticPatients}) and their records, encounters, observations
 * and conditions ({@link io.fhirstream.app.demo.patients.SyntheticRecords}); realistic enough to
 * exercise real pipelines, and never derived from real people.
 */
package io.fhirstream.app.demo.patients;
