package io.fhirstream.analytics.view.internal;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;

/** FHIRPath results to the Java values of a row (see {@code ColumnType}). */
final class Values {
  /** Returned for a complex value, which a column cannot hold. */
  static final Object COMPLEX = new Object();

  private Values() {}

  /** The Java value of one item; {@code null} for a primitive without a value (extension only). */
  static Object of(Base item) {
    if (item instanceof BooleanType b) {
      return b.getValue();
    }
    if (item instanceof IntegerType i) {
      return i.getValue();
    }
    if (item instanceof DecimalType d) {
      return d.getValue();
    }
    if (item instanceof BaseDateTimeType t) {
      return t.getValueAsString();
    }
    if (item instanceof PrimitiveType<?> p) {
      return p.getValueAsString();
    }
    if (item.isPrimitive()) {
      return item.primitiveValue();
    }
    return COMPLEX;
  }
}
