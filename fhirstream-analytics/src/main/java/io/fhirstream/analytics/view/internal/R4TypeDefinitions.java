package io.fhirstream.analytics.view.internal;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimePrimitiveDatatypeDefinition;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.r4.model.StructureDefinition.TypeDerivationRule;

/**
 * Gives the FHIRPath engine the R4 type hierarchy it needs for {@code ofType}, {@code is} and
 * {@code as}: one bare StructureDefinition (name, kind, base type) per type, made from HAPI's
 * compiled R4 model.
 *
 * <p>Why not the published StructureDefinitions: the engine only asks whether a type exists and
 * what it specialises, and the full definitions are a further jar of tens of megabytes that take
 * seconds and a few hundred megabytes of heap to load.
 */
final class R4TypeDefinitions implements IValidationSupport {
  private static final String PREFIX = "http://hl7.org/fhir/StructureDefinition/";

  /** Primitive types that specialise another primitive in R4 (the rest specialise Element). */
  private static final Map<String, String> PRIMITIVE_BASE =
      Map.ofEntries(
          Map.entry("code", "string"),
          Map.entry("id", "string"),
          Map.entry("markdown", "string"),
          Map.entry("oid", "uri"),
          Map.entry("uuid", "uri"),
          Map.entry("url", "uri"),
          Map.entry("canonical", "uri"),
          Map.entry("positiveInt", "integer"),
          Map.entry("unsignedInt", "integer"));

  private final FhirContext context;
  private final Map<String, StructureDefinition> byName = new ConcurrentHashMap<>();

  R4TypeDefinitions(FhirContext context) {
    this.context = context;
  }

  @Override
  public FhirContext getFhirContext() {
    return context;
  }

  @Override
  public IBaseResource fetchStructureDefinition(String url) {
    if (url == null || !url.startsWith(PREFIX)) {
      return null;
    }
    return definition(url.substring(PREFIX.length()));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends IBaseResource> List<T> fetchAllStructureDefinitions() {
    // The engine lists all structures once, to learn the primitive type names.
    List<T> all = new ArrayList<>();
    for (String name : FhirTypes.PRIMITIVES) {
      all.add((T) definition(name));
    }
    return all;
  }

  /** The bare definition of a type, or {@code null} when R4 has no such type. */
  StructureDefinition definition(String name) {
    StructureDefinition known = byName.get(name);
    if (known != null) {
      return known;
    }
    StructureDefinition made = make(name);
    if (made != null) {
      byName.put(name, made);
    }
    return made;
  }

  private StructureDefinition make(String name) {
    StructureDefinitionKind kind;
    String base;
    if (name.equals("Resource")) {
      kind = StructureDefinitionKind.RESOURCE;
      base = null;
    } else if (name.equals("DomainResource")) {
      kind = StructureDefinitionKind.RESOURCE;
      base = "Resource";
    } else if (name.equals("Element")) {
      kind = StructureDefinitionKind.COMPLEXTYPE;
      base = null;
    } else if (name.equals("BackboneElement")) {
      kind = StructureDefinitionKind.COMPLEXTYPE;
      base = "Element";
    } else if (FhirTypes.isResourceType(context, name)) {
      kind = StructureDefinitionKind.RESOURCE;
      Class<?> type = context.getResourceDefinition(name).getImplementingClass();
      base = DomainResource.class.isAssignableFrom(type) ? "DomainResource" : "Resource";
    } else {
      BaseRuntimeElementDefinition<?> def = FhirTypes.elementDefinition(context, name);
      if (def == null) {
        return null;
      }
      if (def instanceof RuntimePrimitiveDatatypeDefinition) {
        kind = StructureDefinitionKind.PRIMITIVETYPE;
        base = PRIMITIVE_BASE.getOrDefault(name, "Element");
      } else {
        kind = StructureDefinitionKind.COMPLEXTYPE;
        base = complexBase(def.getImplementingClass());
      }
    }
    StructureDefinition sd = new StructureDefinition();
    sd.setUrl(PREFIX + name);
    sd.setName(name);
    sd.setType(name);
    sd.setStatus(Enumerations.PublicationStatus.ACTIVE);
    sd.setKind(kind);
    sd.setDerivation(TypeDerivationRule.SPECIALIZATION);
    if (base != null) {
      sd.setBaseDefinition(PREFIX + base);
    }
    return sd;
  }

  private String complexBase(Class<?> type) {
    // Age, Count, Distance, Duration and MoneyQuantity specialise Quantity; Timing, Dosage and
    // ElementDefinition are backbone types; the others specialise Element.
    Class<?> parent = type.getSuperclass();
    String parentName = parent.getSimpleName();
    if (parentName.equals("BackboneType")) {
      return "BackboneElement";
    }
    if (FhirTypes.elementDefinition(context, parentName) != null && !parentName.equals("Type")) {
      return parentName;
    }
    return "Element";
  }
}
