/**
 * Configuration declared once, as data: each component lists its keys (name, type, default,
 * validator, documentation) in a {@link io.fhirstream.api.config.ConfigDefinition}. The same
 * declaration validates at start-up, reports unknown keys and renders the reference documentation.
 */
package io.fhirstream.api.config;
