package io.fhirstream.ops.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlets.EventSource;
import org.eclipse.jetty.ee10.servlets.EventSourceServlet;

/**
 * {@code /api/dashboard/stream}: Server-Sent Events, one {@code data:} snapshot per second (Jetty's
 * EventSource support does the protocol and the keep-alive comments). Past the viewer limit a new
 * viewer gets 503 rather than a connection that would slow the others.
 */
public final class DashboardStreamServlet extends EventSourceServlet {
  private static final long serialVersionUID = 1L;
  private final transient DashboardService dashboard;

  public DashboardStreamServlet(DashboardService dashboard) {
    this.dashboard = dashboard;
  }

  @Override
  protected EventSource newEventSource(HttpServletRequest request) {
    return dashboard.newViewer();
  }
}
