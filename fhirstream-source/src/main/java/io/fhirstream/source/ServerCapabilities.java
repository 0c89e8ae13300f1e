package io.fhirstream.source;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.source.auth.HapiAuthInterceptor;
import io.fhirstream.source.http.FhirCredentials;
import io.fhirstream.source.http.FhirHttpClient;
import java.io.IOException;
import java.net.URI;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the server's CapabilityStatement once at start-up (HAPI's generic client): refuses a server
 * that is not FHIR R4, resolves {@code source.resource-types=*} to the types it offers, and chooses
 * the capture mode of each type.
 */
public final class ServerCapabilities {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCapabilities.class);

  private static final Map<FhirVersionEnum, FhirContext> PROBE_CONTEXTS =
      new EnumMap<>(FhirVersionEnum.class);

  private ServerCapabilities() {}

  /**
   * @param forced a mode set in configuration, or empty to choose per type
   * @return the capture mode of each type to capture ({@code *} resolved)
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
    return probeServer(fhir, config, forced, credentials).modes();
  }

  /**
   * What the probe found.
   *
   * @param modes the capture mode of each type to capture, in capture order
   * @param systemHistory whether the server offers system-level {@code _history} ({@code
   *     history-system}), which reads the changes of every type in one crawl
   */
  public record Probe(Map<String, CaptureMode> modes, boolean systemHistory) {}

  /** Like {@link #probe}, also saying whether the server offers system-level history. */
  public static Probe probeServer(
      FhirContext fhir,
      SourceConfig config,
      Optional<CaptureMode> forced,
      FhirCredentials credentials) {
    CapabilityStatement statement = read(fhir, config, credentials);
    return new Probe(captureModes(statement, config, forced), offersSystemHistory(statement));
  }

  /** Whether a CapabilityStatement lists the {@code history-system} interaction. */
  static boolean offersSystemHistory(CapabilityStatement statement) {
    return statement.getRest().stream()
        .flatMap(rest -> rest.getInteraction().stream())
        .anyMatch(i -> i.getCode() == CapabilityStatement.SystemRestfulInteraction.HISTORYSYSTEM);
  }

  /**
   * Decides what to capture from a CapabilityStatement (pure, no I/O): refuses a server that is not
   * R4, resolves {@code *} to every type listed with {@code history-type} or {@code search-type}
   * (sorted by name), and refuses a listed type the server does not offer.
   *
   * @return the capture mode of each type to capture, in capture order
   * @throws PipelineException naming {@code source.resource-types} when a type cannot be captured
   */
  public static Map<String, CaptureMode> captureModes(
      CapabilityStatement statement, SourceConfig config, Optional<CaptureMode> forced) {
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
    List<String> types = config.allTypes() ? capturable(statement, config) : config.resourceTypes();
    Map<String, CaptureMode> modes = new LinkedHashMap<>();
    for (String type : types) {
      CapabilityStatementRestResourceComponent resource = find(statement, type);
      if (resource == null) {
        throw new PipelineException(
            "source.resource-types: the FHIR server at "
                + config.baseUrl()
                + " does not list "
                + type
                + " in its CapabilityStatement; remove it from source.resource-types");
      }
      boolean history = offers(resource, TypeRestfulInteraction.HISTORYTYPE);
      // A server that lists interactions but neither history nor search cannot be read for
      // changes; one that lists none at all is tried with search, as before.
      if (!history
          && !resource.getInteraction().isEmpty()
          && !offers(resource, TypeRestfulInteraction.SEARCHTYPE)) {
        throw new PipelineException(
            "source.resource-types: the FHIR server at "
                + config.baseUrl()
                + " offers neither history-type nor search-type on "
                + type
                + ", so its changes cannot be read; remove it from source.resource-types");
      }
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

  /** Every type the statement lists with history-type or search-type, sorted by name. */
  /** Types {@code *} leaves out; see {@link #capturable}. */
  static final Set<String> NEVER_IMPLIED = Set.of("Subscription");

  private static List<String> capturable(CapabilityStatement statement, SourceConfig config) {
    Set<String> types = new TreeSet<>();
    statement.getRest().stream()
        .flatMap(rest -> rest.getResource().stream())
        .filter(
            r ->
                offers(r, TypeRestfulInteraction.HISTORYTYPE)
                    || offers(r, TypeRestfulInteraction.SEARCHTYPE))
        .forEach(r -> types.add(r.getType()));
    // Subscriptions are the server's plumbing, not data, and their channel headers carry the
    // shared secrets of rest-hook endpoints (fhirstream's own among them): never stream them
    // unasked. Listing Subscription explicitly still captures it.
    types.removeAll(NEVER_IMPLIED);
    if (types.isEmpty()) {
      throw new PipelineException(
          "source.resource-types=*: the FHIR server at "
              + config.baseUrl()
              + " lists no resource type with history-type or search-type in its"
              + " CapabilityStatement; list the types to capture in source.resource-types");
    }
    LOG.info("source.resource-types=*: the server offers {} types: {}", types.size(), types);
    return List.copyOf(types);
  }

  private static boolean offers(
      CapabilityStatementRestResourceComponent resource, TypeRestfulInteraction interaction) {
    return resource.getInteraction().stream().anyMatch(i -> i.getCode() == interaction);
  }

  private static synchronized CapabilityStatement read(
      FhirContext fhir, SourceConfig config, FhirCredentials credentials) {
    // Ask for a first token here, so a refused client stops the start with the token endpoint's
    // answer rather than whatever HAPI makes of an exception inside its interceptor.
    try {
      credentials.authorization();
    } catch (RetriableException e) {
      throw new PipelineException(
          e.getMessage()
              + "; check source.fhir.auth.token-url and that the authorisation server is running",
          e);
    }
    try (CloseableHttpClient http = httpClient(config)) {
      // HAPI sends through the HTTP client of the context's factory. The shared context's client
      // follows redirects and copies the Authorization header to wherever they point, so the probe
      // uses a context of its own with a client that follows none (start-up only, one at a time).
      FhirContext own =
          PROBE_CONTEXTS.computeIfAbsent(fhir.getVersion().getVersion(), FhirContext::forVersion);
      own.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
      own.getRestfulClientFactory().setHttpClient(http);
      IGenericClient client = own.newRestfulGenericClient(config.baseUrl().toString());
      HapiAuthInterceptor auth = new HapiAuthInterceptor(credentials, config.baseUrl());
      client.registerInterceptor(auth);
      try {
        CapabilityStatement statement = read(client, auth, config);
        refuseForeign(auth, config);
        return statement;
      } catch (RuntimeException e) {
        refuseForeign(auth, config);
        throw e;
      }
    } catch (IOException e) {
      throw new PipelineException("closing the HTTP client of the CapabilityStatement probe", e);
    }
  }

  private static void refuseForeign(HapiAuthInterceptor auth, SourceConfig config) {
    URI foreign = auth.foreignRequest();
    if (foreign != null) {
      throw new PipelineException(
          "the FHIR server at "
              + config.baseUrl()
              + " redirected GET /metadata to another origin ("
              + FhirHttpClient.origin(foreign)
              + "), which got no credentials; set source.fhir.base-url to the URL it redirects to");
    }
  }

  private static CloseableHttpClient httpClient(SourceConfig config) {
    int connect = (int) config.connectTimeout().toMillis();
    return HttpClients.custom()
        .useSystemProperties()
        .disableRedirectHandling()
        .disableCookieManagement()
        .setDefaultRequestConfig(
            RequestConfig.custom()
                .setConnectTimeout(connect)
                .setConnectionRequestTimeout(connect)
                .setSocketTimeout((int) config.requestTimeout().toMillis())
                .setRedirectsEnabled(false)
                .build())
        .build();
  }

  private static CapabilityStatement read(
      IGenericClient client, HapiAuthInterceptor auth, SourceConfig config) {
    try {
      try {
        logStartup();
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
      if (e.getStatusCode() >= 300 && e.getStatusCode() < 400) {
        throw new PipelineException(
            "the FHIR server at "
                + config.baseUrl()
                + " answered GET /metadata with a redirect (HTTP "
                + e.getStatusCode()
                + "); set source.fhir.base-url to the URL it redirects to");
      }
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

  /**
   * How long after the JVM started the first request to the FHIR server goes out: the start-up cost
   * a user waits before anything is read (the benchmark reports it).
   */
  private static void logStartup() {
    ProcessHandle.current()
        .info()
        .startInstant()
        .ifPresent(
            started ->
                LOG.info(
                    "first request to the FHIR server (GET metadata) {} ms after the JVM started",
                    java.time.Duration.between(started, java.time.Instant.now()).toMillis()));
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
