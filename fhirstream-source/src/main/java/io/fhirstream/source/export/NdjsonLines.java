package io.fhirstream.source.export;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.fhir.FhirJson;
import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.api.fhir.ResourceMeta;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads an NDJSON stream one line at a time, holding at most one line (bounded by the JSON limits'
 * document size) whatever the file's size. Each line becomes a {@link ChangeEvent} carrying its
 * bytes verbatim, the way {@link io.fhirstream.source.capture.BundleReader} slices entries.
 */
final class NdjsonLines implements Closeable {
  /** A line longer than the limit: its bytes were dropped while reading. */
  static final byte[] TOO_LONG = new byte[0];

  private final InputStream in;
  private final int maxLineBytes;
  private byte[] buffer = new byte[8192];

  NdjsonLines(InputStream in, JsonLimits limits) {
    this.in = new BufferedInputStream(in, 1 << 16);
    this.maxLineBytes = limits.maxDocumentBytes();
  }

  /**
   * The next line without its line break; {@link #TOO_LONG} for a line over the limit; null at the
   * end of the stream.
   */
  byte[] next() throws IOException {
    int length = 0;
    boolean tooLong = false;
    int b = in.read();
    if (b < 0) {
      return null;
    }
    while (b >= 0 && b != '\n') {
      if (length < maxLineBytes) {
        if (length == buffer.length) {
          buffer = Arrays.copyOf(buffer, Math.min(maxLineBytes, buffer.length * 2));
        }
        buffer[length++] = (byte) b;
      } else {
        tooLong = true;
      }
      b = in.read();
    }
    if (tooLong) {
      return TOO_LONG;
    }
    if (length > 0 && buffer[length - 1] == '\r') {
      length--;
    }
    return Arrays.copyOf(buffer, length);
  }

  /**
   * The event of one line of a file of {@code type}.
   *
   * @throws BadEventException when the line is not a resource of that type with an id; the reason
   *     never quotes the line (it is patient data)
   */
  static ChangeEvent event(byte[] line, String type, JsonLimits limits) throws BadEventException {
    if (line == TOO_LONG) {
      throw new BadEventException(
          "longer than the limit of " + limits.maxDocumentBytes() + " bytes");
    }
    ResourceMeta meta = FhirJson.readMeta(line, limits);
    if (!type.equals(meta.resourceType())) {
      throw new BadEventException("not a " + type + " although the file is of that type");
    }
    if (meta.id() == null) {
      throw new BadEventException("a resource without id");
    }
    return ChangeEvent.upsert(type, meta.id(), meta.versionId(), meta.lastUpdated(), line);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
