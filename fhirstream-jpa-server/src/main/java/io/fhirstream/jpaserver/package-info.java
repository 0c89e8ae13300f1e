/**
 * A real HAPI FHIR JPA server (R4, HAPI 8.8.0 on H2) for fhirstream's integration tests and
 * benchmarks: the server fhirstream's change capture meets in production, not a stand-in. Never a
 * dependency of the product's runnable jar; depend on it with {@code <scope>test</scope>}.
 *
 * <p>It is HAPI's own JPA configuration assembled without the Spring Boot starter ({@code
 * JpaServerConfig}): H2 in memory or in files, HAPI's {@code RestfulServer} on embedded Jetty at
 * {@code http://127.0.0.1:PORT/fhir}. It serves create/update/delete with versions, type and system
 * {@code _history} ({@code _since}, {@code _count}, {@code next}), search ({@code _lastUpdated}
 * ranges, {@code _sort}, {@code _summary=count}), transaction Bundles, system {@code $export}
 * (NDJSON, batch2 advanced every second) and rest-hook Subscriptions (notified from HAPI's 5 s
 * submission pass). Validation, Lucene, terminology loading and MDM are off.
 *
 * <p>From another module's tests: {@link io.fhirstream.jpaserver.JpaFhirServerProcess} starts it as
 * a child JVM and {@link io.fhirstream.jpaserver.TransactionLoader} loads transaction Bundles (e.g.
 * Synthea patients). Start-up takes 20-30 s of CPU: start one server per test class.
 *
 * <p>By hand, after {@code ./mvnw -pl fhirstream-jpa-server package} (which writes the runtime
 * classpath to {@code target/classes/io/fhirstream/jpaserver/runtime-classpath.txt}):
 *
 * <pre>
 * cd fhirstream-jpa-server
 * java -Xmx1g -cp "target/classes:$(cat target/classes/io/fhirstream/jpaserver/runtime-classpath.txt)" \
 *     io.fhirstream.jpaserver.JpaFhirServer --port 8090 [--data-dir target/fhir-db]
 * </pre>
 *
 * <p>It prints {@code fhir server ready at http://127.0.0.1:8090/fhir} once it answers, logs to
 * stderr, and stops cleanly on SIGTERM (Ctrl-C).
 */
package io.fhirstream.jpaserver;
