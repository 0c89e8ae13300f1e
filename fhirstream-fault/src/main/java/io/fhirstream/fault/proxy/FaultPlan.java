package io.fhirstream.fault.proxy;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which faults the {@link FaultyProxy} injects, and how often: for each {@link Fault} the
 * probability (0..1) that a faultable request (a GET of {@code _history}, a type search, a {@code
 * _getpages} link) gets it. At most one fault is injected per request, so the probabilities must
 * add up to at most 1; the rest of the requests are forwarded faithfully. {@link
 * Fault#EXPIRED_PAGE} is drawn only for {@code _getpages} requests: for the others its share is
 * forwarded.
 *
 * <p>Immutable; build with {@link #builder()}, or use {@link #none()} or {@link #always(Fault)}.
 */
public final class FaultPlan {
  /** How long {@link Fault#STALL} delays a response unless configured. */
  public static final Duration DEFAULT_STALL = Duration.ofSeconds(10);

  /** The longest {@link Fault#STALL} allowed: longer tells a client nothing more. */
  public static final Duration MAX_STALL = Duration.ofMinutes(5);

  /** The {@code Retry-After} of 429 and 503 responses unless configured. */
  public static final long DEFAULT_RETRY_AFTER_SECONDS = 1;

  private static final FaultPlan NONE = builder().build();
  // Probabilities given as e.g. 1.0/7 seven times may add up to a hair above 1.
  private static final double SUM_TOLERANCE = 1e-9;

  private final Map<Fault, Double> probabilities;
  private final Duration stallDuration;
  private final long retryAfterSeconds;

  private FaultPlan(Builder builder) {
    this.probabilities = new EnumMap<>(builder.probabilities);
    this.stallDuration = builder.stallDuration;
    this.retryAfterSeconds = builder.retryAfterSeconds;
  }

  /** A plan that injects nothing: the proxy is transparent. */
  public static FaultPlan none() {
    return NONE;
  }

  /** A plan that injects {@code fault} into every request it applies to. */
  public static FaultPlan always(Fault fault) {
    return builder().probability(fault, 1.0).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this plan's settings, to derive a variant. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.probabilities.putAll(probabilities);
    builder.stallDuration = stallDuration;
    builder.retryAfterSeconds = retryAfterSeconds;
    return builder;
  }

  /** The probability that an applicable request gets {@code fault}; 0 if not configured. */
  public double probability(Fault fault) {
    return probabilities.getOrDefault(Objects.requireNonNull(fault, "fault"), 0.0);
  }

  /** How long {@link Fault#STALL} holds a request before forwarding it. */
  public Duration stallDuration() {
    return stallDuration;
  }

  /**
   * The {@code Retry-After} delay of {@link Fault#TOO_MANY_REQUESTS} and {@link
   * Fault#SERVICE_UNAVAILABLE}, in seconds.
   */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Whether this plan never injects anything. */
  public boolean isTransparent() {
    return probabilities.values().stream().allMatch(p -> p == 0.0);
  }

  /**
   * The fault for a request of the given kind, given a uniform draw in [0, 1): the faults that
   * apply to the kind take consecutive slices of [0, 1) in declaration order, each as wide as its
   * probability; a draw past the slices means no fault (null).
   */
  Fault choose(RequestKind kind, double draw) {
    double upper = 0;
    for (Fault fault : Fault.values()) {
      if (!fault.appliesTo(kind)) {
        continue;
      }
      upper += probability(fault);
      if (draw < upper) {
        return fault;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "FaultPlan"
        + probabilities
        + " stall="
        + stallDuration
        + " retryAfter="
        + retryAfterSeconds
        + "s";
  }

  /** Builds a {@link FaultPlan}; every fault defaults to probability 0. */
  public static final class Builder {
    private final Map<Fault, Double> probabilities = new EnumMap<>(Fault.class);
    private Duration stallDuration = DEFAULT_STALL;
    private long retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS;

    private Builder() {}

    /** The probability (0..1) that an applicable request gets {@code fault}. */
    public Builder probability(Fault fault, double probability) {
      probabilities.put(Objects.requireNonNull(fault, "fault"), probability);
      return this;
    }

    /**
     * How long {@link Fault#STALL} delays a request (default 10 s, at most {@link
     * FaultPlan#MAX_STALL}).
     */
    public Builder stallDuration(Duration stallDuration) {
      this.stallDuration = Objects.requireNonNull(stallDuration, "stallDuration");
      return this;
    }

    /** The {@code Retry-After} of 429 and 503 responses, in seconds (default 1). */
    public Builder retryAfterSeconds(long seconds) {
      this.retryAfterSeconds = seconds;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a probability is outside 0..1, if they add up to more
     *     than 1, or if the stall is not positive or longer than {@link FaultPlan#MAX_STALL}
     */
    public FaultPlan build() {
      double sum = 0;
      for (Map.Entry<Fault, Double> entry : probabilities.entrySet()) {
        double p = entry.getValue();
        if (!(p >= 0.0 && p <= 1.0)) {
          throw new IllegalArgumentException(
              "Probability of " + entry.getKey() + " must be between 0 and 1; got " + p);
        }
        sum += p;
      }
      if (sum > 1.0 + SUM_TOLERANCE) {
        throw new IllegalArgumentException(
            "Fault probabilities add up to "
                + sum
                + " but at most one fault is injected per request: lower them to add up to at most"
                + " 1 ("
                + probabilities
                + ")");
      }
      if (stallDuration.isNegative()
          || stallDuration.isZero()
          || stallDuration.compareTo(MAX_STALL) > 0) {
        throw new IllegalArgumentException(
            "stallDuration must be positive and at most " + MAX_STALL + "; got " + stallDuration);
      }
      if (retryAfterSeconds < 0) {
        throw new IllegalArgumentException(
            "retryAfterSeconds must be 0 or more; got " + retryAfterSeconds);
      }
      return new FaultPlan(this);
    }
  }
}
