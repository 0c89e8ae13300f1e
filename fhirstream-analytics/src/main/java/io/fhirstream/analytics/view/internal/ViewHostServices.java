package io.fhirstream.analytics.view.internal;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.CollectionStatus;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;

/**
 * The SQL on FHIR additions to FHIRPath: {@code %constant} and {@code %rowIndex} from the {@link
 * Scope}, and the functions {@code getResourceKey()} and {@code getReferenceKey([type])}.
 *
 * <p>A resource's key is its logical id, and a reference's key is the id it points at, so that
 * {@code subject.getReferenceKey(Patient)} joins {@code getResourceKey()} of the patient view.
 */
final class ViewHostServices implements IHostApplicationServices {
  static final String RESOURCE_KEY = "getResourceKey";
  static final String REFERENCE_KEY = "getReferenceKey";
  static final String ROW_INDEX = "rowIndex";

  @Override
  public List<Base> resolveConstant(
      FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode)
      throws PathEngineException {
    if (mode != FHIRPathConstantEvaluationMode.EXPLICIT || !(appContext instanceof Scope scope)) {
      return List.of();
    }
    if (name.equals(ROW_INDEX)) {
      return scope.rowIndexValue();
    }
    List<Base> value = scope.constants().get(name);
    if (value == null) {
      // Checked when the view is compiled; reaching here means a path was not checked.
      throw new PathEngineException("undefined constant %" + name);
    }
    return value;
  }

  @Override
  public TypeDetails resolveConstantType(
      FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
    return null;
  }

  @Override
  public boolean log(String argument, List<Base> focus) {
    // trace() is refused when a view is compiled: its output would be patient data in the log.
    return true;
  }

  @Override
  public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
    return switch (functionName) {
      case RESOURCE_KEY -> new FunctionDetails("the key of the resource", 0, 0);
      case REFERENCE_KEY -> new FunctionDetails("the key of the referenced resource", 0, 1);
      default -> null;
    };
  }

  @Override
  public TypeDetails checkFunction(
      FHIRPathEngine engine,
      Object appContext,
      String functionName,
      TypeDetails focus,
      List<TypeDetails> parameters) {
    return new TypeDetails(CollectionStatus.SINGLETON, "string");
  }

  @Override
  public List<Base> executeFunction(
      FHIRPathEngine engine,
      Object appContext,
      List<Base> focus,
      String functionName,
      List<List<Base>> parameters) {
    List<Base> keys = new ArrayList<>();
    if (functionName.equals(RESOURCE_KEY)) {
      for (Base item : focus) {
        if (item instanceof Resource r && r.getIdElement().getIdPart() != null) {
          keys.add(new StringType(r.getIdElement().getIdPart()));
        }
      }
    } else if (functionName.equals(REFERENCE_KEY)) {
      String type =
          parameters.isEmpty() || parameters.get(0).isEmpty()
              ? null
              : typeName(parameters.get(0).get(0).primitiveValue());
      for (Base item : focus) {
        if (item instanceof Reference ref) {
          String key = ReferenceKeys.key(ref, type);
          if (key != null) {
            keys.add(new StringType(key));
          }
        }
      }
    }
    return keys;
  }

  /** The engine hands a type parameter over qualified, as {@code FHIR.Patient}. */
  private static String typeName(String qualified) {
    return qualified.startsWith("FHIR.") ? qualified.substring(5) : qualified;
  }

  @Override
  public Base resolveReference(
      FHIRPathEngine engine, Object appContext, String url, Base refContext) throws FHIRException {
    // resolve() is refused when a view is compiled: a row must depend on its own resource only.
    return null;
  }

  @Override
  public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item, String url)
      throws FHIRException {
    throw new FHIRException("conformsTo() is not supported in views");
  }

  @Override
  public ValueSet resolveValueSet(FHIRPathEngine engine, Object appContext, String url) {
    return null;
  }

  @Override
  public boolean paramIsType(String name, int index) {
    return name.equals(REFERENCE_KEY) && index == 0;
  }
}
