package io.fhirstream.analytics.view.internal;

import org.hl7.fhir.r4.model.Reference;

/**
 * The key a reference points at: the logical id in {@code Type/id}, {@code
 * http://server/base/Type/id} or {@code Type/id/_history/n}, or the UUID of a {@code urn:uuid:}
 * reference (as used inside transaction bundles). A contained ({@code #id}) or logical
 * (identifier-only) reference has no key.
 */
final class ReferenceKeys {
  private ReferenceKeys() {}

  /**
   * @param expectedType when not {@code null}, only a reference to this resource type has a key
   */
  static String key(Reference ref, String expectedType) {
    String value = ref.getReference();
    if (value == null || value.isEmpty() || value.startsWith("#")) {
      return null;
    }
    String declaredType = ref.hasType() ? tail(ref.getType()) : null;
    if (value.startsWith("urn:uuid:") || value.startsWith("urn:oid:")) {
      String id = value.substring(value.indexOf(':', 4) + 1);
      return matches(expectedType, declaredType) ? id : null;
    }
    String[] parts = value.split("/");
    int end = parts.length;
    if (end >= 4 && parts[end - 2].equals("_history")) {
      end -= 2;
    }
    if (end < 2) {
      return null;
    }
    String type = parts[end - 2];
    String id = parts[end - 1];
    if (type.isEmpty() || !Character.isUpperCase(type.charAt(0)) || id.isEmpty()) {
      return null;
    }
    return matches(expectedType, type) ? id : null;
  }

  private static boolean matches(String expectedType, String actualType) {
    return expectedType == null || expectedType.equals(actualType);
  }

  private static String tail(String typeUri) {
    int slash = typeUri.lastIndexOf('/');
    return slash < 0 ? typeUri : typeUri.substring(slash + 1);
  }
}
