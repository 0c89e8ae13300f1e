package io.fhirstream.source.capture;

import io.fhirstream.api.ChangeEvent;
import java.net.URI;
import java.util.List;

/**
 * The change events of one Bundle page and its {@code next} link.
 *
 * @param events entries of the expected resource type, in page order
 * @param next the {@code next} link, or null on the last page
 * @param skipped entries that could not become events (no id, or another resource type)
 */
public record BundlePage(List<ChangeEvent> events, URI next, int skipped) {}
