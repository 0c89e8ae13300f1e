package io.fhirstream.source.capture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Readers back off when the server throttles, once per 429 however many saw it. */
class ThrottleGateTest {

  @Test
  void halvesOnThrottlingAndGrowsBackAfterCleanPages() {
    ThrottleGate gate = new ThrottleGate(8, 0);
    gate.enter();
    gate.enter();
    gate.leave(1); // a 429 came back
    gate.leave(1); // the same 429, seen by the second reader
    assertThat(gate.limit()).isEqualTo(4);

    for (int i = 0; i < 32; i++) {
      gate.enter();
      gate.leave(1);
    }
    assertThat(gate.limit()).isEqualTo(5);
  }

  @Test
  void neverGoesBelowOneReader() {
    ThrottleGate gate = new ThrottleGate(2, 5);
    for (long throttled = 6; throttled < 10; throttled++) {
      gate.enter();
      gate.leave(throttled);
    }
    assertThat(gate.limit()).isEqualTo(1);
  }

  @Test
  void waitsForAFreeSlot() throws Exception {
    ThrottleGate gate = new ThrottleGate(1, 0);
    gate.enter();
    Thread second = new Thread(gate::enter);
    second.start();
    second.join(200);
    assertThat(second.isAlive()).as("blocked while the one slot is taken").isTrue();
    gate.leave(0);
    second.join(5_000);
    assertThat(second.isAlive()).isFalse();
  }
}
