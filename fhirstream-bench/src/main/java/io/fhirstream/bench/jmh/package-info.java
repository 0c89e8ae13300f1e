/**
 * JMH micro-benchmarks of the pipeline's hot path: the event codec, meta reading, the version
 * guard, batch collapsing and history page reading, each on realistic FHIR JSON built in its
 * {@code @Setup}.
 *
 * <p>The build compiles them into {@code target/benchmarks.jar} but never runs them; run {@code
 * bench/jmh.sh}, which passes its arguments to JMH (e.g. {@code bench/jmh.sh -prof gc decode}).
 */
package io.fhirstream.bench.jmh;
