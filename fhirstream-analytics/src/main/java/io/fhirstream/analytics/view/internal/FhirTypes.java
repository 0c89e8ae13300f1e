package io.fhirstream.analytics.view.internal;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimePrimitiveDatatypeDefinition;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

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

  /**
   * Lookups by name, misses included: HAPI searches its classpath again on every miss, which takes
   * tens of milliseconds each. Keyed by context, though views only ever use the cached R4 one.
   */
  private static final Map<FhirContext, Map<String, Optional<BaseRuntimeElementDefinition<?>>>>
      CACHE = Collections.synchronizedMap(new WeakHashMap<>());

  private static final Map<FhirContext, Set<String>> RESOURCE_TYPES =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** A datatype's definition (primitive or complex), or {@code null} if R4 has none so named. */
  static BaseRuntimeElementDefinition<?> elementDefinition(FhirContext context, String name) {
    if (name == null || name.isEmpty()) {
      return null;
    }
    return CACHE
        .computeIfAbsent(context, c -> new ConcurrentHashMap<>())
        .computeIfAbsent(name, n -> Optional.ofNullable(lookUp(context, n)))
        .orElse(null);
  }

  private static BaseRuntimeElementDefinition<?> lookUp(FhirContext context, String name) {
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
    return resourceTypes(context).contains(name);
  }

  /** HAPI reads its list of resource types from a properties file on every call: read it once. */
  static Set<String> resourceTypes(FhirContext context) {
    return RESOURCE_TYPES.computeIfAbsent(context, c -> Set.copyOf(c.getResourceTypes()));
  }
}
