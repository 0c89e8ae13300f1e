/**
 * The source SPI: how a change source plugs in.
 *
 * <p>A {@link io.fhirstream.api.source.ChangeSourceFactory}, found by name with ServiceLoader,
 * makes a {@link io.fhirstream.api.source.ChangeSource}, which captures changes and publishes them
 * through the publishers its {@link io.fhirstream.api.source.SourceContext} hands it, moving its
 * cursors only after the events they cover are acknowledged. The FHIR source (history, search,
 * {@code $export}, rest-hook push) is one; a feed of change notifications is another.
 */
package io.fhirstream.api.source;
