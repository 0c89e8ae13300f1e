/** The command line: {@code fhirstream demo | run | bench | config-reference}. */
package io.fhirstream.cli;
