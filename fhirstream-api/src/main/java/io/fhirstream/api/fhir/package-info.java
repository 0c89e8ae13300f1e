/**
 * Reading what the pipeline needs from FHIR JSON (type, id, version, last-updated) with Jackson's
 * streaming parser, without building an object model of the resource.
 */
package io.fhirstream.api.fhir;
