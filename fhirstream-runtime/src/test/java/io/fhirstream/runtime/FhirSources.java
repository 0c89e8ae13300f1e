package io.fhirstream.runtime;

import io.fhirstream.runtime.config.Settings;
import io.fhirstream.source.FhirChangeSource;
import io.fhirstream.source.SourceConfig;
import io.fhirstream.source.push.PushEndpoint;
import java.time.Instant;
import java.util.Map;

/** The FHIR source behind a pipeline, for tests that look inside it. */
public final class FhirSources {
  private FhirSources() {}

  /** The FHIR source's typed settings. */
  public static SourceConfig config(Map<String, String> raw) {
    Settings settings = Settings.parse(raw);
    return SourceConfig.from(settings.sourceConfig(), settings.runtime().resourceTypes());
  }

  /** The pipeline's push endpoint. */
  public static PushEndpoint push(Pipeline pipeline) {
    return ((FhirChangeSource) pipeline.source()).push();
  }

  /** A type's committed cursor, or null before the first commit. */
  public static Instant cursor(Pipeline pipeline, String type) {
    return pipeline.source().publishedUpTo(type).orElse(null);
  }
}
