package io.fhirstream.source.capture;

import io.fhirstream.api.ChangeEvent;
import java.time.Instant;
import java.util.List;

/**
 * What one crawl found.
 *
 * @param events distinct versions, oldest first, so that each resource's versions reach the hub in
 *     order and a compacted topic keeps the newest
 * @param end the new cursor: every change before it has been read. Events at or after it may also be
 *     present (published early for latency) and will be read again by the next crawl
 * @param pages how many pages the crawl read
 */
public record Window(List<ChangeEvent> events, Instant end, int pages) {}
