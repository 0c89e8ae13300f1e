package io.fhirstream.demo.fhir;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.util.HapiExtensions;
import java.net.URI;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;

/**
 * R4 Subscriptions on the demo server, enough to drive rest-hook notifications as a real server
 * does: create, update, read, delete, and search by {@code _tag}. A Subscription is accepted when
 * its channel is rest-hook, its endpoint an http(s) URL and its criteria {@code {Type}?} for a
 * served type (no search parameters); it is then {@code active} at once (a real server activates it
 * asynchronously). Anything else is refused with 422, so a test never relies on criteria the demo
 * would not honour.
 *
 * <p>Public only because HAPI invokes its annotated methods reflectively.
 */
public final class SubscriptionProvider implements IResourceProvider {
  private final ResourceStore store;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final Map<String, RestHook> hooks = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);

  SubscriptionProvider(ResourceStore store) {
    this.store = store;
  }

  @Override
  public Class<Subscription> getResourceType() {
    return Subscription.class;
  }

  /** The active rest-hooks, for the notifier. */
  List<RestHook> hooks() {
    return new ArrayList<>(hooks.values());
  }

  @Create
  public MethodOutcome create(@ResourceParam Subscription subscription) {
    return store("s" + nextId.getAndIncrement(), subscription, true);
  }

  @Update
  public MethodOutcome update(@IdParam IIdType id, @ResourceParam Subscription subscription) {
    return store(id.getIdPart(), subscription, !subscriptions.containsKey(id.getIdPart()));
  }

  @Read
  public Subscription read(@IdParam IIdType id) {
    Subscription found = subscriptions.get(id.getIdPart());
    if (found == null) {
      throw new ResourceNotFoundException(id);
    }
    return found.copy();
  }

  @Delete
  public MethodOutcome delete(@IdParam IIdType id) {
    if (subscriptions.remove(id.getIdPart()) == null) {
      throw new ResourceNotFoundException(id);
    }
    hooks.remove(id.getIdPart());
    return new MethodOutcome();
  }

  /** {@code GET Subscription[?_tag=system|code]}. */
  @Search
  public List<Subscription> search(@OptionalParam(name = Constants.PARAM_TAG) TokenParam tag) {
    List<Subscription> found = new ArrayList<>();
    for (Subscription s : subscriptions.values()) {
      if (tag == null
          || s.getMeta().getTag().stream()
              .anyMatch(
                  t ->
                      tag.getValue().equals(t.getCode())
                          && (tag.getSystem() == null || tag.getSystem().equals(t.getSystem())))) {
        found.add(s.copy());
      }
    }
    return found;
  }

  private synchronized MethodOutcome store(String id, Subscription subscription, boolean created) {
    RestHook hook = validate(id, subscription);
    Subscription previous = subscriptions.get(id);
    long version = previous == null ? 1 : Long.parseLong(previous.getMeta().getVersionId()) + 1;
    Subscription stored = subscription.copy();
    stored.setId(new IdType("Subscription", id, Long.toString(version)));
    stored.getMeta().setVersionId(Long.toString(version));
    stored.getMeta().setLastUpdated(new Date());
    boolean off = subscription.getStatus() == SubscriptionStatus.OFF;
    stored.setStatus(off ? SubscriptionStatus.OFF : SubscriptionStatus.ACTIVE);
    subscriptions.put(id, stored);
    if (off) {
      hooks.remove(id);
    } else {
      hooks.put(id, hook);
    }
    MethodOutcome outcome = new MethodOutcome(stored.getIdElement());
    outcome.setResource(stored.copy());
    return outcome.setCreated(created);
  }

  private RestHook validate(String id, Subscription subscription) {
    Subscription.SubscriptionChannelComponent channel = subscription.getChannel();
    if (channel.getType() != SubscriptionChannelType.RESTHOOK) {
      throw refused("channel.type must be rest-hook");
    }
    URI endpoint;
    try {
      endpoint = URI.create(channel.getEndpoint());
    } catch (RuntimeException e) {
      throw refused("channel.endpoint is not a URL");
    }
    if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
      throw refused("channel.endpoint must be an http(s) URL");
    }
    String criteria = subscription.getCriteria() == null ? "" : subscription.getCriteria();
    String type = criteria.endsWith("?") ? criteria.substring(0, criteria.length() - 1) : criteria;
    if (!store.resourceTypes().contains(type)) {
      throw refused(
          "criteria must be {Type}? for a served type "
              + store.resourceTypes()
              + " (the demo server matches no search parameters)");
    }
    List<String[]> headers = new ArrayList<>();
    for (var header : channel.getHeader()) {
      String line = header.getValue();
      int colon = line == null ? -1 : line.indexOf(':');
      if (colon <= 0) {
        throw refused("channel.header must be 'Name: value'");
      }
      headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
    }
    var deletes = channel.getExtensionByUrl(HapiExtensions.EX_SEND_DELETE_MESSAGES);
    boolean sendDeletes =
        deletes != null && deletes.getValue() instanceof BooleanType b && b.booleanValue();
    return new RestHook(
        id, type, endpoint, channel.hasPayload(), sendDeletes, List.copyOf(headers));
  }

  private static UnprocessableEntityException refused(String why) {
    return new UnprocessableEntityException("Subscription refused: " + why);
  }
}
