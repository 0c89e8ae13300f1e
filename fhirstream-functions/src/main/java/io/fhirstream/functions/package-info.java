/**
 * fhirstream's roles as Azure Functions. {@link io.fhirstream.functions.WriterFunction} is the sink
 * role: an Event Hubs trigger (a batch of events per invocation) that writes through the same store
 * SPI and version guard as the long-running sink, sends bad events to the dead-letter event hub,
 * and fails the invocation on a transient store failure so the host retries the batch instead of
 * checkpointing past it. {@link io.fhirstream.functions.EventsCaptureFunction} captures from Azure
 * Health Data Services events the same way as the {@code ahds-events} source. Settings come from
 * app settings, the same {@code FHIRSTREAM_*} variables the service reads, plus the few of {@link
 * io.fhirstream.functions.FunctionsConfig}.
 */
package io.fhirstream.functions;
