package io.fhirstream.api.fhir;

/**
 * Bounds on JSON the pipeline accepts, so a hostile or broken document cannot exhaust memory or
 * stack: deeper, longer or larger input is a bad event, not a crash.
 *
 * @param maxDepth deepest nesting of objects and arrays; real FHIR resources stay far below 100
 * @param maxStringLength longest string value, in characters (attachments are base64 strings)
 * @param maxDocumentBytes largest document
 */
public record JsonLimits(int maxDepth, int maxStringLength, int maxDocumentBytes) {

  /** 200 levels, 16 MiB strings, 16 MiB documents. */
  public static final JsonLimits DEFAULT = new JsonLimits(200, 16 << 20, 16 << 20);

  public JsonLimits {
    if (maxDepth < 1 || maxStringLength < 1 || maxDocumentBytes < 1) {
      throw new IllegalArgumentException("JSON limits must be positive");
    }
  }
}
