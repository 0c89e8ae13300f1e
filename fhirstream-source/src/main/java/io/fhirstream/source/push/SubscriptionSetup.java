package io.fhirstream.source.push;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.util.HapiExtensions;
import io.fhirstream.api.PipelineException;
import io.fhirstream.source.http.FhirHttpClient;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;

/**
 * Creates or updates the R4 Subscriptions that make the FHIR server push changes to the endpoint:
 * one per captured type, criteria {@code {Type}?}, channel rest-hook to the endpoint's URL with the
 * secret in {@code channel.header}, payload {@code application/fhir+json} or none (id-only).
 *
 * <p>Idempotent: each Subscription carries the tag {@value #TAG_SYSTEM}|{@code {Type}}, found by a
 * {@code _tag} search and updated in place (left alone when already as wanted), so running it again
 * never adds a second one. Requests go to the configured base URL's origin only, with its
 * credentials, and follow no redirect.
 */
public final class SubscriptionSetup {
  /** The tag system marking the Subscriptions fhirstream owns. */
  public static final String TAG_SYSTEM = "https://fhirstream.io/subscription";

  private static final String FHIR_JSON = "application/fhir+json";

  /** HAPI's channel extension asking for {@code DELETE {endpoint}/{Type}/{id}} notifications. */
  public static final String SEND_DELETES = HapiExtensions.EX_SEND_DELETE_MESSAGES;

  /** What happened to one type's Subscription. */
  public enum Action {
    CREATED,
    UPDATED,
    UNCHANGED
  }

  /**
   * The outcome for one type.
   *
   * @param type the resource type
   * @param id the Subscription's id on the server
   * @param action what was done
   */
  public record Outcome(String type, String id, Action action) {}

  private final URI baseUrl;
  private final List<String> types;
  private final PushConfig push;
  private final URI endpoint;
  private final FhirHttpClient reader;
  private final FhirWriter writer;
  private final IParser json = FhirContext.forR4Cached().newJsonParser();

  /**
   * Made by {@code SourceConfig.subscriptionSetup}, from the source's settings.
   *
   * @param types the captured types, one Subscription each
   * @param endpoint the notification endpoint's URL as the FHIR server reaches it
   * @param reader reads the server's Subscriptions (base URL's origin only)
   * @param writer creates and updates them, with the same credentials
   */
  public SubscriptionSetup(
      URI baseUrl,
      List<String> types,
      PushConfig push,
      URI endpoint,
      FhirHttpClient reader,
      FhirWriter writer) {
    this.baseUrl = baseUrl;
    this.types = List.copyOf(types);
    this.push = push;
    this.endpoint = Objects.requireNonNull(endpoint);
    this.reader = reader;
    this.writer = writer;
  }

  /** Ensures one Subscription per configured type. */
  public List<Outcome> ensureAll() {
    List<Outcome> outcomes = new ArrayList<>();
    for (String type : types) {
      outcomes.add(ensure(type));
    }
    return outcomes;
  }

  /** Ensures the Subscription of one type. */
  public Outcome ensure(String type) {
    Subscription wanted = wanted(type);
    Subscription existing = find(type);
    if (existing == null) {
      String id = writer.create("Subscription", json.encodeResourceToString(wanted));
      return new Outcome(type, id, Action.CREATED);
    }
    String id = existing.getIdElement().getIdPart();
    if (sameSettings(existing, wanted)) {
      return new Outcome(type, id, Action.UNCHANGED);
    }
    wanted.setId(id);
    writer.update("Subscription", id, json.encodeResourceToString(wanted));
    return new Outcome(type, id, Action.UPDATED);
  }

  /** The Subscription fhirstream wants for a type. Holds the secret: never log it. */
  Subscription wanted(String type) {
    Subscription subscription = new Subscription();
    subscription.getMeta().addTag(TAG_SYSTEM, type, "fhirstream push for " + type);
    subscription.setStatus(SubscriptionStatus.REQUESTED);
    subscription.setReason("fhirstream: stream " + type + " changes through Kafka");
    subscription.setCriteria(type + "?");
    Subscription.SubscriptionChannelComponent channel = subscription.getChannel();
    channel.setType(SubscriptionChannelType.RESTHOOK);
    channel.setEndpoint(endpoint.toString());
    if (push.fullResource()) {
      channel.setPayload(FHIR_JSON);
    }
    channel.addHeader(push.headerLine());
    if (push.pushDeletes()) {
      channel.addExtension(SEND_DELETES, new BooleanType(true));
    }
    return subscription;
  }

  private Subscription find(String type) {
    String tag = URLEncoder.encode(TAG_SYSTEM + "|" + type, StandardCharsets.UTF_8);
    URI uri = URI.create(baseUrl + "/Subscription?_tag=" + tag);
    Bundle bundle;
    try {
      bundle =
          json.parseResource(
              Bundle.class, new String(reader.get(uri).body(), StandardCharsets.UTF_8));
    } catch (DataFormatException e) {
      throw new PipelineException("the FHIR server's Subscription search is not a Bundle", e);
    }
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      if (entry.getResource() instanceof Subscription s && hasOurTag(s, type)) {
        return s;
      }
    }
    return null;
  }

  static boolean sendsDeletes(Subscription s) {
    var extension = s.getChannel().getExtensionByUrl(SEND_DELETES);
    return extension != null && extension.getValue() instanceof BooleanType b && b.booleanValue();
  }

  private static boolean hasOurTag(Subscription s, String type) {
    return s.getMeta().getTag().stream()
        .anyMatch(t -> TAG_SYSTEM.equals(t.getSystem()) && type.equals(t.getCode()));
  }

  /** Same criteria and channel, and not switched off or failed (an update re-requests it). */
  static boolean sameSettings(Subscription existing, Subscription wanted) {
    SubscriptionStatus status = existing.getStatus();
    boolean live = status == SubscriptionStatus.ACTIVE || status == SubscriptionStatus.REQUESTED;
    var a = existing.getChannel();
    var b = wanted.getChannel();
    List<String> headersA = a.getHeader().stream().map(h -> h.getValue()).toList();
    List<String> headersB = b.getHeader().stream().map(h -> h.getValue()).toList();
    return live
        && Objects.equals(existing.getCriteria(), wanted.getCriteria())
        && a.getType() == b.getType()
        && Objects.equals(a.getEndpoint(), b.getEndpoint())
        && Objects.equals(a.getPayload(), b.getPayload())
        && headersA.equals(headersB)
        && sendsDeletes(existing) == sendsDeletes(wanted);
  }
}
