package io.fhirstream.fault;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.HashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;

/**
 * The FHIR server's current state, read with HAPI's generic client, an implementation independent
 * of fhirstream's own capture code, so the verdict does not trust the code it judges.
 */
final class ServerState {
  /** One resource's newest version on the server; json is null for a deletion. */
  record Current(long version, boolean deleted, String json) {}

  private ServerState() {}

  static Map<String, Current> read(String fhirBaseUrl) {
    FhirContext fhir = FhirContext.forR4Cached();
    IGenericClient client = fhir.newRestfulGenericClient(fhirBaseUrl);
    Map<String, Current> state = new HashMap<>();
    Bundle page =
        client.history().onType(Patient.class).returnBundle(Bundle.class).count(1000).execute();
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
      FhirContext fhir, Map<String, Current> state, Bundle.BundleEntryComponent entry) {
    boolean deleted = entry.getRequest().getMethod() == Bundle.HTTPVerb.DELETE;
    String id;
    long version;
    String json = null;
    if (deleted) {
      String[] parts = entry.getRequest().getUrl().split("/");
      id = parts[1];
      version = Long.parseLong(parts[3]);
    } else {
      Patient patient = (Patient) entry.getResource();
      id = patient.getIdElement().getIdPart();
      version = Long.parseLong(patient.getMeta().getVersionId());
      json = fhir.newJsonParser().encodeResourceToString(patient);
    }
    Current seen = state.get(id);
    if (seen == null || seen.version() < version) {
      state.put(id, new Current(version, deleted, json));
    }
  }
}
