package io.fhirstream.ops.internal;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /metrics}: the registry's scrape in the Prometheus text format (0.0.4), or OpenMetrics
 * when the scraper asks for it in {@code Accept} as Prometheus itself does.
 */
public final class MetricsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final transient PrometheusMeterRegistry registry;

  public MetricsServlet(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String accept = request.getHeader("Accept");
    String contentType =
        accept != null && accept.contains("application/openmetrics-text") ? OPEN_METRICS : TEXT;
    response.setContentType(contentType);
    registry.scrape(response.getOutputStream(), contentType);
  }
}
