package io.fhirstream.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretCheckTest {
  private final SecretCheck check = new SecretCheck("Bearer abc123");

  @Test
  void acceptsOnlyTheExactValue() {
    assertThat(check.accepts("Bearer abc123")).isTrue();
    assertThat(check.accepts("Bearer abc1234")).isFalse();
    assertThat(check.accepts("Bearer abc12")).isFalse();
    assertThat(check.accepts("bearer abc123")).isFalse();
    assertThat(check.accepts("abc123")).isFalse();
  }

  @Test
  void refusesAMissingOrEmptyHeader() {
    assertThat(check.accepts(null)).isFalse();
    assertThat(check.accepts("")).isFalse();
    assertThat(new SecretCheck("").accepts(null)).as("even when nothing is expected").isFalse();
  }
}
