package io.fhirstream.api;

/**
 * Where an event was read from the event hub: reported with dead letters so an operator can find
 * the original record.
 */
public record EventOrigin(String topic, int partition, long offset) {
  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
