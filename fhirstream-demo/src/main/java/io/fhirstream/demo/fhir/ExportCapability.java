package io.fhirstream.demo.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * Advertises {@code $export} in the generated CapabilityStatement, which HAPI builds from its
 * resource providers only ({@link BulkExportServlet} is a plain servlet beside them).
 */
@Interceptor
final class ExportCapability {
  private static final String DEFINITION =
      "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export";

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void generated(IBaseConformance statement) {
    if (statement instanceof CapabilityStatement r4 && !r4.getRest().isEmpty()) {
      r4.getRestFirstRep().addOperation().setName("export").setDefinition(DEFINITION);
    }
  }
}
