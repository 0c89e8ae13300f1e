package io.fhirstream.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpServer;
import io.fhirstream.api.PipelineException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The CapabilityStatement probe never carries credentials to where a redirect points. */
class ServerCapabilitiesRedirectTest {

  @Test
  void aRedirectIsNotFollowedAndStopsTheStartWithoutLeakingTheToken() throws Exception {
    HttpServer fhir =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    HttpServer elsewhere =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    List<String> elsewhereSaw = Collections.synchronizedList(new ArrayList<>());
    elsewhere.createContext(
        "/",
        exchange -> {
          elsewhereSaw.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    fhir.createContext(
        "/fhir",
        exchange -> {
          exchange
              .getResponseHeaders()
              .add(
                  "Location",
                  "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/fhir/metadata");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    fhir.start();
    elsewhere.start();
    try {
      SourceConfig source =
          SourceConfig.from(
              SourceConfig.DEFINITION.parse(
                  Map.of(
                      "source.fhir.base-url",
                      "http://127.0.0.1:" + fhir.getAddress().getPort() + "/fhir",
                      "source.fhir.bearer-token",
                      "t0ken-canary")),
              List.of("Patient"));

      assertThatThrownBy(
              () -> ServerCapabilities.probe(FhirContext.forR4Cached(), source, Optional.empty()))
          .isInstanceOf(PipelineException.class)
          .hasMessageContaining("redirect")
          .hasMessageNotContaining("t0ken-canary");
      assertThat(elsewhereSaw).as("redirects are not followed").isEmpty();
    } finally {
      fhir.stop(0);
      elsewhere.stop(0);
    }
  }
}
