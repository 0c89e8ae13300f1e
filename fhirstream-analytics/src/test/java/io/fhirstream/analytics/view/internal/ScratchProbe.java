package io.fhirstream.analytics.view.internal;

import ca.uhn.fhir.context.FhirContext;
import java.util.*;
import org.hl7.fhir.r4.model.*;

public class ScratchProbe {
  public static void main(String[] a) {
    FhirContext ctx = FhirContext.forR4Cached();
    FhirPathSupport s = new FhirPathSupport(ctx);
    Resource o =
        (Resource)
            ctx.newJsonParser()
                .parseResource(
                    "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"meta\":{\"versionId\":\"3\"},\"status\":\"final\",\"code\":{\"text\":\"c\"},\"valueQuantity\":{\"value\":1.0},\"effectiveInstant\":\"2015-02-07T13:28:17.239+02:00\",\"subject\":{\"reference\":\"Patient/p1\"}}");
    Resource o2 =
        (Resource)
            ctx.newJsonParser()
                .parseResource(
                    "{\"resourceType\":\"Observation\",\"id\":\"o2\",\"status\":\"final\",\"code\":{\"text\":\"c\"},\"valueDateTime\":\"2010-10-10\"}");
    Resource o4 =
        (Resource)
            ctx.newJsonParser()
                .parseResource(
                    "{\"resourceType\":\"Observation\",\"id\":\"o4\",\"status\":\"final\",\"code\":{\"text\":\"c\"},\"valueTime\":\"12:34:00\"}");
    Resource t =
        (Resource)
            ctx.newJsonParser()
                .parseResource(
                    "{\"resourceType\":\"Task\",\"id\":\"t4\",\"intent\":\"order\",\"status\":\"requested\",\"output\":[{\"type\":{\"text\":\"type\"},\"valueOid\":\"urn:oid:1.0\"}]}");
    Map<String, List<Base>> consts =
        Map.of(
            "v",
            List.of(new DecimalType("1.2")),
            "oid",
            List.of(new OidType("urn:oid:1.0")),
            "eff",
            List.of(new InstantType("2015-02-07T13:28:17.239+02:00")));
    String[] oe = {
      "id",
      "meta.versionId",
      "getResourceKey()",
      "subject.getReferenceKey(Patient)",
      "subject.getReferenceKey()",
      "subject.getReferenceKey(Observation)",
      "value.ofType(Quantity).value",
      "value.ofType(Quantity).value.lowBoundary()",
      "value.ofType(Quantity).value.highBoundary()",
      "value.ofType(Quantity).value < %v",
      "effective.ofType(instant) = %eff",
      "%rowIndex",
      "Observation.id",
      "ofType(Resource).id",
      "ofType(DomainResource).id",
      "value.ofType(Age)"
    };
    for (String e : oe) run(s, o, e, consts);
    for (String e :
        new String[] {
          "value.ofType(dateTime).lowBoundary()", "value.ofType(dateTime).highBoundary()"
        }) run(s, o2, e, consts);
    for (String e :
        new String[] {"value.ofType(time).lowBoundary()", "value.ofType(time).highBoundary()"})
      run(s, o4, e, consts);
    for (String e :
        new String[] {
          "output.first().value.ofType(oid) = %oid",
          "output.first().value.ofType(uri)",
          "output.first().value.ofType(url)"
        }) run(s, t, e, consts);
  }

  static void run(FhirPathSupport s, Resource r, String e, Map<String, List<Base>> c) {
    try {
      List<Base> res = s.evaluate(new Scope(r, c, 0), r, s.parse(e));
      StringBuilder sb = new StringBuilder();
      for (Base x : res) sb.append(x.fhirType()).append(':').append(x.primitiveValue()).append(' ');
      System.out.println(e + " => " + sb);
    } catch (Exception ex) {
      System.out.println(e + " !! " + ex);
    }
  }
}
