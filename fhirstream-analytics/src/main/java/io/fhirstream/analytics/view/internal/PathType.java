package io.fhirstream.analytics.view.internal;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition.ChildTypeEnum;
import java.util.List;

/**
 * What a FHIRPath expression gives, as far as can be known without a resource: the possible FHIR
 * types (several for a choice element not yet narrowed by {@code ofType}) and whether it may be
 * several items. No candidate means unknown, and unknown is never an error.
 */
record PathType(List<Candidate> candidates, boolean many) {
  static final PathType UNKNOWN = new PathType(List.of(), true);

  /**
   * One possible type.
   *
   * @param name the FHIR type name ({@code string}, {@code HumanName}, {@code Patient}), or {@code
   *     BackboneElement} for an element defined inline
   * @param definition HAPI's definition, for walking into children; {@code null} for a type whose
   *     children are not known (an abstract type)
   */
  record Candidate(String name, BaseRuntimeElementDefinition<?> definition) {
    boolean primitive() {
      if (definition == null) {
        return FhirTypes.PRIMITIVES.contains(name);
      }
      ChildTypeEnum kind = definition.getChildType();
      return kind == ChildTypeEnum.PRIMITIVE_DATATYPE
          || kind == ChildTypeEnum.ID_DATATYPE
          || kind == ChildTypeEnum.PRIMITIVE_XHTML
          || kind == ChildTypeEnum.PRIMITIVE_XHTML_HL7ORG;
    }
  }

  static PathType of(Candidate candidate, boolean many) {
    return new PathType(List.of(candidate), many);
  }

  boolean unknown() {
    return candidates.isEmpty();
  }

  /** The single type name, or {@code null} when unknown or one of several. */
  String singleName() {
    return candidates.size() == 1 ? candidates.get(0).name() : null;
  }

  PathType withMany(boolean newMany) {
    return newMany == many ? this : new PathType(candidates, newMany);
  }

  String describe() {
    if (unknown()) {
      return "an unknown type";
    }
    return candidates.size() == 1
        ? candidates.get(0).name()
        : "one of " + candidates.stream().map(Candidate::name).toList();
  }
}
