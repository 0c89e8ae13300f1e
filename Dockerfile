# fhirstream's container image: the packaged CLI (fhirstream-cli/target/fhirstream.jar and lib/) on
# a JRE, run as a non-root user, friendly to a read-only root file system (writes go to the data
# volume and to /tmp, which a read-only deployment mounts as tmpfs).
#
# Build the jar first, then the image:
#   ./mvnw -B -DskipTests package
#   docker build -t fhirstream .
# See docs/operations/container.md, and container/compose.yaml for a whole stack.
FROM eclipse-temurin:17-jre

ARG UID=10001
RUN groupadd --system --gid "${UID}" fhirstream \
 && useradd --system --uid "${UID}" --gid fhirstream --home-dir /var/lib/fhirstream --no-create-home fhirstream \
 && mkdir -p /var/lib/fhirstream \
 && chown fhirstream:fhirstream /var/lib/fhirstream

WORKDIR /opt/fhirstream
# lib/ first: the dependencies change less often than our jar, so that layer stays cached.
COPY fhirstream-cli/target/lib/ lib/
COPY fhirstream-cli/target/fhirstream.jar fhirstream.jar
COPY --chmod=0755 container/entrypoint.sh /usr/local/bin/fhirstream-entrypoint

# In a container the operator endpoint must be reachable from outside the process's loopback
# (probes, Prometheus); the store, the analytics role's state and an embedded broker, if any,
# write to the volume.
ENV FHIRSTREAM_OPS_BIND_ADDRESS=0.0.0.0 \
    FHIRSTREAM_OPS_PORT=9464 \
    FHIRSTREAM_STORE_SQLITE_PATH=/var/lib/fhirstream/fhirstream.db \
    FHIRSTREAM_EMBEDDED_KAFKA_DATA_DIR=/var/lib/fhirstream/kafka \
    FHIRSTREAM_ANALYTICS_STATE_DIR=/var/lib/fhirstream/analytics \
    FHIRSTREAM_LOG_FORMAT=json

VOLUME ["/var/lib/fhirstream"]
USER fhirstream
EXPOSE 9464

HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD ["/usr/local/bin/fhirstream-entrypoint", "healthcheck"]

ENTRYPOINT ["/usr/local/bin/fhirstream-entrypoint"]
CMD ["run"]
