package io.fhirstream.source;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.fhirstream.api.PipelineException;
import io.fhirstream.source.auth.FhirCredentials;
import io.fhirstream.source.auth.HapiAuthInterceptor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the server's CapabilityStatement once at start-up (HAPI's generic client): refuses a server
 * that is not FHIR R4 and chooses the capture mode of each type.
 */
public final class ServerCapabilities {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCapabilities.class);

  private ServerCapabilities() {}

  /**
   * @param forced a mode set in configuration, or empty to choose per type
   * @return the capture mode of each configured type
   * @throws PipelineException when the server is unreachable, not R4, or lacks a type
   */
  public static Map<String, CaptureMode> probe(
      FhirContext fhir, SourceConfig config, Optional<CaptureMode> forced) {
    return probe(fhir, config, forced, config.newCredentials());
  }

  /**
   * Like {@link #probe(FhirContext, SourceConfig, Optional)}, authenticating with {@code
   * credentials} — the same instance the page reader uses, so both share one cached token.
   */
  public static Map<String, CaptureMode> probe(
      FhirContext fhir,
      SourceConfig config,
      Optional<CaptureMode> forced,
      FhirCredentials credentials) {
    CapabilityStatement statement = read(fhir, config, credentials);
    String version = statement.getFhirVersion() == null ? "" : statement.getFhirVersion().toCode();
    if (!version.startsWith("4.0")) {
      throw new PipelineException(
          "the FHIR server at "
              + config.baseUrl()
              + " speaks FHIR "
              + (version.isEmpty() ? "(unknown version)" : version)
              + ", but fhirstream reads FHIR R4 (4.0.x) only; point source.fhir.base-url at an R4"
              + " endpoint");
    }
    Map<String, CaptureMode> modes = new LinkedHashMap<>();
    for (String type : config.resourceTypes()) {
      CapabilityStatementRestResourceComponent resource = find(statement, type);
      if (resource == null) {
        throw new PipelineException(
            "the FHIR server at "
                + config.baseUrl()
                + " does not list "
                + type
                + " in its CapabilityStatement; remove it from source.resource-types");
      }
      boolean history =
          resource.getInteraction().stream()
              .anyMatch(i -> i.getCode() == TypeRestfulInteraction.HISTORYTYPE);
      CaptureMode mode = forced.orElse(history ? CaptureMode.HISTORY : CaptureMode.SEARCH);
      if (mode == CaptureMode.SEARCH) {
        LOG.warn(
            "{}: capturing with _lastUpdated search, which cannot see deletions{}",
            type,
            history ? "" : " (the server does not support type-level _history)");
      }
      modes.put(type, mode);
    }
    return modes;
  }

  private static CapabilityStatement read(
      FhirContext fhir, SourceConfig config, FhirCredentials credentials) {
    fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    fhir.getRestfulClientFactory().setConnectTimeout((int) config.connectTimeout().toMillis());
    fhir.getRestfulClientFactory().setSocketTimeout((int) config.requestTimeout().toMillis());
    // Ask for a first token here, so a refused client stops the start with the token endpoint's
    // answer rather than whatever HAPI makes of an exception inside its interceptor.
    credentials.authorization();
    IGenericClient client = fhir.newRestfulGenericClient(config.baseUrl().toString());
    HapiAuthInterceptor auth = new HapiAuthInterceptor(credentials);
    client.registerInterceptor(auth);
    try {
      try {
        return client.capabilities().ofType(CapabilityStatement.class).execute();
      } catch (AuthenticationException e) {
        if (!auth.renewAfterUnauthorized()) {
          throw e;
        }
        return client.capabilities().ofType(CapabilityStatement.class).execute();
      }
    } catch (AuthenticationException e) {
      throw new PipelineException(
          "the FHIR server at "
              + config.baseUrl()
              + " refused GET /metadata (HTTP 401); it did not accept fhirstream's credentials:"
              + " check source.fhir.auth and its settings");
    } catch (FhirClientConnectionException e) {
      throw new PipelineException(
          "cannot reach the FHIR server at "
              + config.baseUrl()
              + " ("
              + rootCause(e)
              + "); check source.fhir.base-url and that the server is running");
    } catch (BaseServerResponseException e) {
      throw new PipelineException(
          "the FHIR server at "
              + config.baseUrl()
              + " answered GET /metadata with HTTP "
              + e.getStatusCode()
              + "; check source.fhir.base-url points at a FHIR R4 base");
    } catch (ca.uhn.fhir.parser.DataFormatException | ClassCastException e) {
      throw new PipelineException(
          "the server at "
              + config.baseUrl()
              + " did not return a FHIR R4 CapabilityStatement from /metadata; check"
              + " source.fhir.base-url points at a FHIR R4 base");
    }
  }

  private static CapabilityStatementRestResourceComponent find(
      CapabilityStatement statement, String type) {
    return statement.getRest().stream()
        .flatMap(rest -> rest.getResource().stream())
        .filter(r -> type.equals(r.getType()))
        .findFirst()
        .orElse(null);
  }

  private static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
