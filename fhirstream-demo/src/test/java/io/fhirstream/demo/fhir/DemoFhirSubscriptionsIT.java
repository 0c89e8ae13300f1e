package io.fhirstream.demo.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.util.HapiExtensions;
import io.fhirstream.demo.patients.SyntheticPatients;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo server's rest-hook notifications, received by a real HTTP server on 127.0.0.1: what HAPI
 * FHIR sends, and how often it tries.
 */
class DemoFhirSubscriptionsIT {
  private record Received(String method, String path, String authorization, String body) {}

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicInteger answer = new AtomicInteger(200);
  private Server receiver;
  private String endpoint;
  private DemoFhirServer server;
  private IGenericClient client;

  @BeforeEach
  void start() throws Exception {
    receiver = new Server();
    ServerConnector connector = new ServerConnector(receiver);
    connector.setHost("127.0.0.1");
    receiver.addConnector(connector);
    receiver.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            String body;
            try (InputStream in = Content.Source.asInputStream(request)) {
              body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            received.add(
                new Received(
                    request.getMethod(),
                    request.getHttpURI().getPath(),
                    request.getHeaders().get("Authorization"),
                    body));
            response.setStatus(answer.get());
            callback.succeeded();
            return true;
          }
        });
    receiver.start();
    endpoint = "http://127.0.0.1:" + connector.getLocalPort() + "/hook";
    server = DemoFhirServer.builder().resourceTypes("Patient", "Observation").build().start();
    client = FhirContext.forR4Cached().newRestfulGenericClient(server.baseUrl());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    receiver.stop();
  }

  private Subscription restHook(String criteria, boolean payload) {
    Subscription subscription = new Subscription();
    subscription.setStatus(SubscriptionStatus.REQUESTED);
    subscription.setCriteria(criteria);
    subscription.getChannel().setType(SubscriptionChannelType.RESTHOOK).setEndpoint(endpoint);
    subscription.getChannel().addHeader("Authorization: Bearer xyz");
    if (payload) {
      subscription.getChannel().setPayload("application/fhir+json");
    }
    return subscription;
  }

  @Test
  void aFullResourceSubscriptionPutsEachWrittenVersionWithTheChannelHeaders() throws Exception {
    client.create().resource(restHook("Patient?", true)).execute();
    Patient patient = new SyntheticPatients(1).next();
    String id = client.create().resource(patient).execute().getId().getIdPart();

    Received notification = received.poll(10, TimeUnit.SECONDS);
    assertThat(notification).isNotNull();
    assertThat(notification.method()).isEqualTo("PUT");
    assertThat(notification.path()).isEqualTo("/hook/Patient/" + id);
    assertThat(notification.authorization()).isEqualTo("Bearer xyz");
    assertThat(notification.body())
        .isEqualTo(server.store().latest("Patient", id).orElseThrow().json().orElseThrow());

    client.create().resource(new org.hl7.fhir.r4.model.Observation()).execute();
    server.store().delete("Patient", id); // deletions are not sent without the extension
    assertThat(received.poll(1, TimeUnit.SECONDS)).as("no Observation, no deletion").isNull();
  }

  @Test
  void anIdOnlySubscriptionPostsAnEmptyBodyToTheEndpointAndDeletesOnRequest() throws Exception {
    Subscription subscription = restHook("Patient?", false);
    subscription
        .getChannel()
        .addExtension(HapiExtensions.EX_SEND_DELETE_MESSAGES, new BooleanType(true));
    client.create().resource(subscription).execute();
    ResourceVersion created = server.store().create(new SyntheticPatients(2).next());

    Received notification = received.poll(10, TimeUnit.SECONDS);
    assertThat(notification.method()).isEqualTo("POST");
    assertThat(notification.path()).isEqualTo("/hook");
    assertThat(notification.body()).isEmpty();

    server.store().delete("Patient", created.id());
    Received deletion = received.poll(10, TimeUnit.SECONDS);
    assertThat(deletion.method()).isEqualTo("DELETE");
    assertThat(deletion.path()).isEqualTo("/hook/Patient/" + created.id());
  }

  @Test
  void aRefusedNotificationIsRetriedFourTimesThenDropped() throws Exception {
    answer.set(401);
    client.create().resource(restHook("Patient?", true)).execute();
    server.store().create(new SyntheticPatients(3).next());

    for (int i = 0; i < 4; i++) {
      assertThat(received.poll(10, TimeUnit.SECONDS)).as("attempt " + (i + 1)).isNotNull();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.restHooksDropped() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(server.restHooksDropped()).isEqualTo(1);
    assertThat(server.restHooksRefused()).isEqualTo(4);
    assertThat(received.poll(1, TimeUnit.SECONDS)).as("no fifth attempt").isNull();
  }

  @Test
  void subscriptionsAreFoundByTagAndCriteriaTheDemoCannotHonourAreRefused() {
    Subscription tagged = restHook("Patient?", true);
    tagged.getMeta().addTag("https://fhirstream.io/subscription", "Patient", null);
    client.create().resource(tagged).execute();
    client.create().resource(restHook("Observation?", true)).execute();

    Bundle found =
        client
            .search()
            .forResource(Subscription.class)
            .withTag("https://fhirstream.io/subscription", "Patient")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(found.getEntry()).hasSize(1);
    assertThat(((Subscription) found.getEntryFirstRep().getResource()).getStatus())
        .isEqualTo(SubscriptionStatus.ACTIVE);

    assertThatThrownBy(
            () -> client.create().resource(restHook("Patient?gender=female", true)).execute())
        .isInstanceOf(UnprocessableEntityException.class);
  }
}
