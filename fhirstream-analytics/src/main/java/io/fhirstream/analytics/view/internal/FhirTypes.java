package io.fhirstream.analytics.view.internal;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimePrimitiveDatatypeDefinition;
import java.util.Set;

/** Names of the R4 types, and lookups in HAPI's compiled model that do not throw. */
final class FhirTypes {
  /** The R4 primitive types (FHIR R4 §2.24.0.1). */
  static final Set<String> PRIMITIVES =
      Set.of(
          "base64Binary",
          "boolean",
          "canonical",
          "code",
          "date",
          "dateTime",
          "decimal",
          "id",
          "instant",
          "integer",
          "markdown",
          "oid",
          "positiveInt",
          "string",
          "time",
          "unsignedInt",
          "uri",
          "url",
          "uuid");

  private FhirTypes() {}

  /** A datatype's definition (primitive or complex), or {@code null} if R4 has none so named. */
  static BaseRuntimeElementDefinition<?> elementDefinition(FhirContext context, String name) {
    if (name == null || name.isEmpty()) {
      return null;
    }
    try {
      BaseRuntimeElementDefinition<?> def = context.getElementDefinition(name);
      if (def == null) {
        return null;
      }
      // HAPI answers case-insensitively and also for internal helper types; keep only exact names.
      if (def instanceof RuntimePrimitiveDatatypeDefinition) {
        return PRIMITIVES.contains(name) ? def : null;
      }
      return def.getName().equals(name) ? def : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  static boolean isResourceType(FhirContext context, String name) {
    return context.getResourceTypes().contains(name);
  }
}
