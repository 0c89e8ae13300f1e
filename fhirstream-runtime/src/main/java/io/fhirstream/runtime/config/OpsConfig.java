package io.fhirstream.runtime.config;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Validators;

/**
 * Settings of the operator endpoint: Prometheus {@code /metrics}, the {@code /health/live} and
 * {@code /health/ready} probes, and the live dashboard.
 *
 * @param enabled whether {@code run} and {@code demo} serve it
 * @param bindAddress the address it listens on; 127.0.0.1 unless exposing it is decided
 * @param port its TCP port; 0 picks a free one
 */
public record OpsConfig(boolean enabled, String bindAddress, int port) {
  /** The port Prometheus exporters conventionally use for an application like this one. */
  public static final int DEFAULT_PORT = 9464;

  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("Operator endpoint: metrics, health probes, dashboard")
          .define(
              "ops.enabled",
              ConfigType.BOOLEAN,
              "true",
              "Serve the operator endpoint: /metrics (Prometheus), /health/live and /health/ready"
                  + " (Kubernetes probes) and the live dashboard at /.")
          .define(
              "ops.bind-address",
              ConfigType.STRING,
              "127.0.0.1",
              Validators.NON_EMPTY,
              "Address the operator endpoint listens on. It has no authentication: bind a wider"
                  + " address (0.0.0.0, a pod's IP) only where the network decides who may"
                  + " connect, as in a container.")
          .define(
              "ops.port",
              ConfigType.INT,
              Integer.toString(DEFAULT_PORT),
              Validators.between(0, 65535),
              "TCP port of the operator endpoint; 0 picks a free one (printed at start). Two"
                  + " instances on one machine need a port each.")
          .build();

  public static OpsConfig from(Config config) {
    return new OpsConfig(
        config.getBoolean("ops.enabled"),
        config.getString("ops.bind-address"),
        config.getInt("ops.port"));
  }
}
