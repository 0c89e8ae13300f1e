package io.fhirstream.demo.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * The half-open millisecond interval {@code [fromInclusive, toExclusive)} a {@code _lastUpdated}
 * search parameter selects.
 *
 * <p>A value stands for the whole period of its precision, as FHIR defines: {@code ge2024-05-01}
 * starts at midnight, {@code lt2024-05-01T10:00:00Z} ends before that second, {@code gt2024-05-01}
 * starts on 2 May.
 */
record LastUpdatedRange(long fromInclusive, long toExclusive) {
  static final LastUpdatedRange ALL = new LastUpdatedRange(Long.MIN_VALUE, Long.MAX_VALUE);

  static LastUpdatedRange of(DateRangeParam param) {
    LastUpdatedRange range = ALL;
    if (param == null) {
      return range;
    }
    if (param.getLowerBound() != null) {
      range = range.intersect(of(param.getLowerBound()));
    }
    if (param.getUpperBound() != null) {
      range = range.intersect(of(param.getUpperBound()));
    }
    return range;
  }

  static LastUpdatedRange of(DateParam param) {
    if (param.getValue() == null) {
      return ALL;
    }
    long start = param.getValue().getTime();
    TemporalPrecisionEnum precision =
        param.getPrecision() == null ? TemporalPrecisionEnum.MILLI : param.getPrecision();
    long end = precision.add(param.getValue(), 1).getTime();
    ParamPrefixEnum prefix = param.getPrefix() == null ? ParamPrefixEnum.EQUAL : param.getPrefix();
    switch (prefix) {
      case GREATERTHAN_OR_EQUALS:
        return new LastUpdatedRange(start, Long.MAX_VALUE);
      case GREATERTHAN:
        return new LastUpdatedRange(end, Long.MAX_VALUE);
      case LESSTHAN_OR_EQUALS:
        return new LastUpdatedRange(Long.MIN_VALUE, end);
      case LESSTHAN:
        return new LastUpdatedRange(Long.MIN_VALUE, start);
      case EQUAL:
        return new LastUpdatedRange(start, end);
      default:
        throw new InvalidRequestException(
            "_lastUpdated prefix '"
                + prefix.getValue()
                + "' is not supported by the demo server: use ge, gt, le, lt or eq");
    }
  }

  LastUpdatedRange intersect(LastUpdatedRange other) {
    return new LastUpdatedRange(
        Math.max(fromInclusive, other.fromInclusive), Math.min(toExclusive, other.toExclusive));
  }

  boolean contains(long millis) {
    return millis >= fromInclusive && millis < toExclusive;
  }
}
