/**
 * The backfill benchmark: the whole pipeline against the ceiling of each of its stages measured
 * alone in the same run, on the same machine.
 */
package io.fhirstream.bench;
