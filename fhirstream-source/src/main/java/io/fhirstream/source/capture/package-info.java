/**
 * Turning FHIR result pages into ordered change events: the Bundle reader, and one crawler per
 * capture mode that reads a window of changes since a cursor.
 */
package io.fhirstream.source.capture;
