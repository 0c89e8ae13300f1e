package io.fhirstream.ops.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fhirstream.ops.HealthCheck.Result;
import io.fhirstream.ops.HealthCheck.Status;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A probe's answer: UP only when every check is UP. Serialised as {@code
 * {"status":"UP","checks":{"kafka":{"status":"UP"}}}}; a check's detail appears only when set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthReport(Status status, Map<String, Result> checks) {

  public HealthReport {
    checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
  }

  /** Aggregates results in the order given. */
  public static HealthReport of(Map<String, Result> results) {
    boolean up = results.values().stream().allMatch(Result::isUp);
    return new HealthReport(up ? Status.UP : Status.DOWN, results);
  }

  public boolean isUp() {
    return status == Status.UP;
  }

  /** 200 or 503, the convention every probe (Kubernetes, load balancers) reads. */
  public int httpStatus() {
    return isUp() ? 200 : 503;
  }
}
