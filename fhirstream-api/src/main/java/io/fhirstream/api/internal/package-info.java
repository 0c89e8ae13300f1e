/** Internal hooks, not part of the SPI: no compatibility promise. */
package io.fhirstream.api.internal;
