/**
 * The reconciliation check ({@code fhirstream analytics verify}): every aggregate and view
 * recomputed in memory from the resources the store holds, with the same engine the topology runs,
 * and compared with the results the analytics role wrote.
 */
package io.fhirstream.analytics.verify;
