package io.fhirstream.ops.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;

/** {@code /health/live} and {@code /health/ready}: 200 when UP, 503 when DOWN, with a JSON body. */
public final class HealthServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient Supplier<HealthReport> probe;

  public HealthServlet(Supplier<HealthReport> probe) {
    this.probe = probe;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    HealthReport report = probe.get();
    response.setStatus(report.httpStatus());
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(Json.health(report));
  }
}
