package io.fhirstream.fault.proxy;

/** How the proxy classifies a request, see {@link RequestMatcher}. */
enum RequestKind {
  /** Anything else (writes, reads, {@code /metadata}, operations): always forwarded untouched. */
  PASS_THROUGH,
  /** A GET of {@code _history} at system, type or instance level. */
  HISTORY,
  /** A GET search of one resource type. */
  SEARCH,
  /** A GET of a {@code _getpages} paging link. */
  PAGING;

  boolean faultable() {
    return this != PASS_THROUGH;
  }
}
