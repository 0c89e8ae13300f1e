/**
 * Loading settings: a properties file, then {@code FHIRSTREAM_*} environment variables, then
 * command-line overrides, each later one winning; every key validated against the components'
 * declarations at start-up, unknown keys rejected.
 */
package io.fhirstream.runtime.config;
