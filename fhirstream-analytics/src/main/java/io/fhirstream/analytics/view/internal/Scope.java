package io.fhirstream.analytics.view.internal;

import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Resource;

/**
 * What a FHIRPath expression of a view can see besides its focus: the resource, the view's
 * constants and {@code %rowIndex}. Handed to the engine as its application context, so the host
 * services hold no per-evaluation state.
 */
record Scope(Resource resource, Map<String, List<Base>> constants, int rowIndex) {

  Scope withRowIndex(int index) {
    return index == rowIndex ? this : new Scope(resource, constants, index);
  }

  List<Base> rowIndexValue() {
    return List.of(new IntegerType(rowIndex));
  }
}
