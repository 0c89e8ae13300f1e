package io.fhirstream.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.fhirstream.demo.ConsistencyCheck.Expected;
import java.util.HashMap;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * A FHIR server's current state of a type, read over HTTP with HAPI's generic client (type-level
 * {@code _history}, every page): an implementation independent of fhirstream's own capture code, so
 * a check against it does not trust the code it judges. Works on any server that offers type-level
 * history: the demo server in its own process, or HAPI's JPA server.
 */
public final class FhirServerState {
  private FhirServerState() {}

  /** Each resource's newest version, deletions included. */
  public static Map<String, Expected> read(String fhirBaseUrl, String resourceType) {
    FhirContext fhir = FhirContext.forR4Cached();
    fhir.getRestfulClientFactory().setSocketTimeout(120_000);
    IGenericClient client = fhir.newRestfulGenericClient(fhirBaseUrl);
    Map<String, Expected> state = new HashMap<>();
    Bundle page =
        client.history().onType(resourceType).returnBundle(Bundle.class).count(1000).execute();
    while (true) {
      for (Bundle.BundleEntryComponent entry : page.getEntry()) {
        fold(fhir, state, entry);
      }
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        return state;
      }
      page = client.loadPage().next(page).execute();
    }
  }

  private static void fold(
      FhirContext fhir, Map<String, Expected> state, Bundle.BundleEntryComponent entry) {
    boolean deleted = entry.getRequest().getMethod() == Bundle.HTTPVerb.DELETE;
    String id;
    long version;
    String json = null;
    if (deleted) {
      // Type/id/_history/version
      String[] parts = entry.getRequest().getUrl().split("/");
      id = parts[1];
      version = Long.parseLong(parts[3]);
    } else {
      IBaseResource resource = entry.getResource();
      id = resource.getIdElement().getIdPart();
      version = Long.parseLong(resource.getMeta().getVersionId());
      json = fhir.newJsonParser().encodeResourceToString(resource);
    }
    Expected seen = state.get(id);
    if (seen == null || seen.version() < version) {
      state.put(id, new Expected(version, deleted, json));
    }
  }
}
