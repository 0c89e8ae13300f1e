package io.fhirstream.fault.proxy;

/**
 * What the {@link FaultyProxy} can do to a request instead of forwarding it faithfully. Each fault
 * is one symptom a client of a real FHIR server must survive.
 */
public enum Fault {
  /** {@code 429 Too Many Requests} with {@code Retry-After} in seconds; not forwarded. */
  TOO_MANY_REQUESTS,
  /** {@code 503 Service Unavailable} with {@code Retry-After} as an HTTP-date; not forwarded. */
  SERVICE_UNAVAILABLE,
  /** {@code 500 Internal Server Error}; not forwarded. */
  INTERNAL_ERROR,
  /** The connection is reset (TCP RST) before any response byte: the client sees an I/O error. */
  CONNECTION_RESET,
  /**
   * Forwarded, but the body is cut at a random point and the connection closed: the client sees an
   * I/O error (fewer bytes than announced, or an unterminated chunked body), never a valid
   * response.
   */
  TRUNCATED_BODY,
  /** Forwarded after {@link FaultPlan#stallDuration()}: the client's request timeout may fire. */
  STALL,
  /**
   * {@code 410 Gone}, as for an expired search; applies to {@code _getpages} paging requests only,
   * other requests never draw it. Not forwarded.
   */
  EXPIRED_PAGE;

  /** Whether this fault can be injected into a request of the given kind. */
  boolean appliesTo(RequestKind kind) {
    return kind.faultable() && (this != EXPIRED_PAGE || kind == RequestKind.PAGING);
  }
}
