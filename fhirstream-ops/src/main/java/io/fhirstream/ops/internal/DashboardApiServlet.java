package io.fhirstream.ops.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code /api/dashboard}: the latest snapshot (at most a second old) as JSON. */
public final class DashboardApiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient DashboardService dashboard;

  public DashboardApiServlet(DashboardService dashboard) {
    this.dashboard = dashboard;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(dashboard.latest());
  }
}
