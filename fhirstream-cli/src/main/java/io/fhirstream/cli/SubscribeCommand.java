package io.fhirstream.cli;

import io.fhirstream.api.config.ConfigException;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.source.PollingDelay;
import io.fhirstream.source.SourceConfig;
import io.fhirstream.source.push.PushConfig;
import io.fhirstream.source.push.SubscriptionSetup;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Creates or updates the FHIR server's Subscriptions that feed push mode. */
@Command(
    name = "subscribe",
    mixinStandardHelpOptions = true,
    description = {
      "Creates or updates, on the FHIR server, one R4 Subscription per source.resource-types entry"
          + " (criteria {Type}?, channel rest-hook to source.push.public-url with the secret in"
          + " channel.header, payload per source.push.payload). Idempotent: fhirstream's"
          + " Subscriptions are found by their tag and updated, never duplicated. Uses the"
          + " source's FHIR URL and credentials (the client needs write access to Subscription)."
    })
public final class SubscribeCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Spec CommandSpec spec;

  /**
   * Push is not always sooner: measures one polling round trip here, and says how `run` will
   * compare it with the notifications' own delay.
   */
  private static void tellWhichIsFaster(
      SourceConfig source,
      io.fhirstream.source.http.FhirCredentials credentials,
      java.io.PrintWriter out) {
    var polling =
        PollingDelay.measure(
            source.newHttpClient(1, credentials),
            source.resourceTypes().get(0),
            source.pollInterval());
    polling.ifPresent(
        delay ->
            out.printf(
                "Polling every %s would deliver a change in about %,d ms here (half the interval"
                    + " plus one read). Push is only faster if the server notifies sooner than"
                    + " that: `run` measures its first %d notifications and says which is faster"
                    + " in its log. HAPI FHIR's JPA server, for one, delivers about 5 s after a"
                    + " write (see docs/connect/push.md).%n",
                source.pollInterval(),
                delay.toMillis(),
                io.fhirstream.source.push.PushEndpoint.DELAY_SAMPLE));
  }

  @Override
  public Integer call() {
    // Subscriptions are made on the FHIR server alone: no Kafka needed.
    Settings settings = Settings.parse(config.raw(Map.of()), EnumSet.of(Role.SOURCE), false);
    SourceConfig source =
        SourceConfig.from(settings.sourceConfig(), settings.runtime().resourceTypes());
    PushConfig push = source.push();
    if (push.secret().isEmpty()) {
      throw new ConfigException(
          "source.push.secret",
          "is required: the Subscriptions carry it and the endpoint checks it; set the same"
              + " value for `run`, preferably as FHIRSTREAM_SOURCE_PUSH_SECRET");
    }
    if (push.publicUrl().isEmpty() && push.port() == 0) {
      throw new ConfigException(
          "source.push.public-url",
          "is required when source.push.port is 0: the FHIR server needs a fixed URL to notify");
    }
    URI endpoint = push.endpointUrl(push.port());
    var out = spec.commandLine().getOut();
    var credentials = source.newCredentials();
    SubscriptionSetup setup = source.subscriptionSetup(endpoint, credentials);
    for (SubscriptionSetup.Outcome outcome : setup.ensureAll()) {
      out.printf(
          "%s: %s Subscription/%s → %s (%s)%n",
          outcome.type(),
          outcome.action().name().toLowerCase(java.util.Locale.ROOT),
          outcome.id(),
          endpoint,
          push.fullResource() ? "full resource" : "id-only");
    }
    tellWhichIsFaster(source, credentials, out);
    out.flush();
    return 0;
  }
}
