package io.fhirstream.source;

import ca.uhn.fhir.context.FhirContext;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.source.http.FhirCredentials;
import io.fhirstream.source.http.FhirHttpClient;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the server's CapabilityStatement once at start-up: refuses a server that is not FHIR R4,
 * resolves {@code source.resource-types=*} to the types it offers, and chooses the capture mode of
 * each type.
 *
 * <p>The statement is fetched with the source's own HTTP client (the base URL's origin only, no
 * redirect followed, credentials renewed once after a 401) and read with Jackson ({@link
 * ServerOffer}): the first request goes out without HAPI's FHIR context, its HTTP client or their
 * logging being set up, which is most of what start-up would otherwise wait for.
 */
public final class ServerCapabilities {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCapabilities.class);

  private static final String HISTORY_TYPE = "history-type";
  private static final String SEARCH_TYPE = "search-type";

  /** Types {@code *} leaves out; see {@link #capturable}. */
  static final Set<String> NEVER_IMPLIED = Set.of("Subscription");

  private ServerCapabilities() {}

  /**
   * @param fhir not used any more (the statement is read without HAPI); kept for callers
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
    return probeServer(config, forced, credentials).modes();
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
      SourceConfig config, Optional<CaptureMode> forced, FhirCredentials credentials) {
    ServerOffer offer = read(config, credentials);
    return new Probe(captureModes(offer, config, forced), offer.systemHistory());
  }

  /**
   * Decides what to capture from a CapabilityStatement (pure, no I/O); see {@link
   * #captureModes(ServerOffer, SourceConfig, Optional)}.
   */
  public static Map<String, CaptureMode> captureModes(
      CapabilityStatement statement, SourceConfig config, Optional<CaptureMode> forced) {
    return captureModes(ServerOffer.of(statement), config, forced);
  }

  /**
   * Decides what to capture (pure, no I/O): refuses a server that is not R4, resolves {@code *} to
   * every type listed with {@code history-type} or {@code search-type} (sorted by name), and
   * refuses a listed type the server does not offer.
   *
   * @return the capture mode of each type to capture, in capture order
   * @throws PipelineException naming {@code source.resource-types} when a type cannot be captured
   */
  static Map<String, CaptureMode> captureModes(
      ServerOffer offer, SourceConfig config, Optional<CaptureMode> forced) {
    String version = offer.fhirVersion();
    if (!version.startsWith("4.0")) {
      throw new PipelineException(
          "the FHIR server at "
              + config.baseUrl()
              + " speaks FHIR "
              + (version.isEmpty() ? "(unknown version)" : version)
              + ", but fhirstream reads FHIR R4 (4.0.x) only; point source.fhir.base-url at an R4"
              + " endpoint");
    }
    List<String> types = config.allTypes() ? capturable(offer, config) : config.resourceTypes();
    Map<String, CaptureMode> modes = new LinkedHashMap<>();
    for (String type : types) {
      if (!offer.lists(type)) {
        throw new PipelineException(
            "source.resource-types: the FHIR server at "
                + config.baseUrl()
                + " does not list "
                + type
                + " in its CapabilityStatement; remove it from source.resource-types");
      }
      boolean history = offer.offers(type, HISTORY_TYPE);
      // A server that lists interactions but neither history nor search cannot be read for
      // changes; one that lists none at all is tried with search, as before.
      if (!history && !offer.listsNoInteraction(type) && !offer.offers(type, SEARCH_TYPE)) {
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
  private static List<String> capturable(ServerOffer offer, SourceConfig config) {
    Set<String> types = new TreeSet<>();
    for (String type : offer.types().keySet()) {
      if (offer.offers(type, HISTORY_TYPE) || offer.offers(type, SEARCH_TYPE)) {
        types.add(type);
      }
    }
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

  /** GET metadata, once: a server that does not answer stops the start, saying why. */
  private static ServerOffer read(SourceConfig config, FhirCredentials credentials) {
    // Ask for a first token here, so a refused client stops the start with the token endpoint's
    // answer.
    try {
      credentials.authorization();
    } catch (RetriableException e) {
      throw new PipelineException(
          e.getMessage()
              + "; check source.fhir.auth.token-url and that the authorisation server is running",
          e);
    }
    FhirHttpClient http = config.newHttpClient(1, credentials);
    byte[] body;
    try {
      logStartup();
      body = http.get(URI.create(config.baseUrl() + "/metadata")).body();
    } catch (RetriableException e) {
      throw new PipelineException(
          "cannot reach the FHIR server at "
              + config.baseUrl()
              + " ("
              + e.getMessage()
              + "); check source.fhir.base-url and that the server is running");
    } catch (PipelineException e) {
      // A 401, 403 or redirect says what to do already; any other answer means a wrong base URL.
      boolean otherStatus = e.getMessage().contains(" with HTTP ");
      throw otherStatus
          ? new PipelineException(
              e.getMessage() + "; check source.fhir.base-url points at a FHIR R4 base", e)
          : e;
    }
    try {
      return ServerOffer.parse(body);
    } catch (IllegalArgumentException e) {
      throw new PipelineException(
          "the server at "
              + config.baseUrl()
              + " did not return a FHIR R4 CapabilityStatement from /metadata ("
              + e.getMessage()
              + "); check source.fhir.base-url points at a FHIR R4 base");
    }
  }

  /**
   * How long after the JVM started the first request to the FHIR server goes out: the start-up cost
   * a user waits before anything is read (the benchmark reports it), with the CPU time spent so
   * far, a steadier figure on a busy machine.
   */
  private static void logStartup() {
    ProcessHandle.Info process = ProcessHandle.current().info();
    process
        .startInstant()
        .ifPresent(
            started ->
                LOG.info(
                    "first request to the FHIR server (GET metadata) {} ms after the JVM started"
                        + " ({} ms of CPU)",
                    java.time.Duration.between(started, java.time.Instant.now()).toMillis(),
                    process.totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L)));
  }
}
