/** Assembling and running the pipeline's roles (source, sink) from validated settings. */
package io.fhirstream.runtime;
