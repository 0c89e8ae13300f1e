package io.fhirstream.demo.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code .well-known/smart-configuration} of the protected demo server: where clients get tokens
 * (SMART App Launch's discovery document, the parts backend services use).
 */
final class SmartConfigurationServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final byte[] document;

  SmartConfigurationServlet(URI tokenEndpoint) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("token_endpoint", tokenEndpoint.toString());
    json.put("grant_types_supported", List.of("client_credentials"));
    json.put(
        "token_endpoint_auth_methods_supported",
        List.of("private_key_jwt", "client_secret_basic", "client_secret_post"));
    json.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
    json.put("capabilities", List.of("client-confidential-asymmetric"));
    try {
      this.document = new ObjectMapper().writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("application/json");
    response.setContentLength(document.length);
    response.getOutputStream().write(document);
  }
}
