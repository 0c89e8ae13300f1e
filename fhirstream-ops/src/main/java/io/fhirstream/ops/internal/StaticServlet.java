package io.fhirstream.ops.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One file of the dashboard page, read once from the classpath ({@code
 * io/fhirstream/ops/dashboard/}). The page is three fixed files, so a fixed servlet per file serves
 * them without exposing a directory.
 */
public final class StaticServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final String BASE = "/io/fhirstream/ops/dashboard/";

  private final byte[] content;
  private final String contentType;

  public StaticServlet(String file, String contentType) {
    this.contentType = contentType;
    try (InputStream in = StaticServlet.class.getResourceAsStream(BASE + file)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard file " + BASE + file + " is missing");
      }
      this.content = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading the dashboard file " + BASE + file, e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType(contentType);
    response.setContentLength(content.length);
    response.getOutputStream().write(content);
  }
}
