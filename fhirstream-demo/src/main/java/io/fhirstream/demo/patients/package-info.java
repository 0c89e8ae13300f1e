/**
 * Synthetic, reproducible FHIR R4 patient data for demos and benchmarks: patients ({@link
 * io.fhirstream.demo.patients.SyntheticPatients}) and their records, encounters, observations and
 * conditions ({@link io.fhirstream.demo.patients.SyntheticRecords}); realistic enough to exercise
 * real pipelines, and never derived from real people.
 */
package io.fhirstream.demo.patients;
