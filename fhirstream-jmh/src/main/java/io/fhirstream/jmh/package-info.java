/** JMH micro-benchmarks of the pipeline's hot path. */
package io.fhirstream.jmh;
