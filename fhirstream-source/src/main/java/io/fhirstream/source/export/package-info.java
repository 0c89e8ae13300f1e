/**
 * The first load by FHIR bulk {@code $export} (Bulk Data Access IG v2): kick-off, status polling,
 * streamed NDJSON download into the hub, resumable progress, and the hand-over to incremental
 * capture at the export's {@code transactionTime}. Entry point: {@link
 * io.fhirstream.source.export.ExportLoader}, configured by {@link
 * io.fhirstream.source.export.ExportConfig}.
 */
package io.fhirstream.source.export;
