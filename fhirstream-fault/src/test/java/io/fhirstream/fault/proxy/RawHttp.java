package io.fhirstream.fault.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A bare HTTP/1.1 GET over a socket that keeps whatever arrives before the connection ends, to see
 * the exact bytes a truncated response carries (an HTTP client only reports that it failed).
 */
final class RawHttp {
  private RawHttp() {}

  /** The response body bytes received, de-chunked, up to the close; any status is accepted. */
  static byte[] getUntilClosed(URI origin, String path) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (Socket socket = new Socket(origin.getHost(), origin.getPort())) {
      socket.setSoTimeout(10_000);
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: "
              + origin.getAuthority()
              + "\r\n"
              + "Connection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          raw.write(buffer, 0, n);
        }
      } catch (IOException closedAbruptly) {
        // what was read so far is the point
      }
    }
    return body(raw.toByteArray());
  }

  private static byte[] body(byte[] response) {
    int headersEnd = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
    if (headersEnd < 0) {
      return new byte[0];
    }
    String headers = new String(response, 0, headersEnd, StandardCharsets.US_ASCII);
    byte[] rest = Arrays.copyOfRange(response, headersEnd + 4, response.length);
    return headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")
        ? dechunk(rest)
        : rest;
  }

  /** The data of the complete chunks and of a last partial one; stops at the terminal chunk. */
  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int lineEnd = indexOf(chunked, new byte[] {'\r', '\n'}, at);
      if (lineEnd < 0) {
        return data.toByteArray();
      }
      String sizeLine = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII);
      int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
      if (size == 0) {
        return data.toByteArray();
      }
      int start = lineEnd + 2;
      int available = Math.min(size, chunked.length - start);
      data.write(chunked, start, available);
      if (available < size) {
        return data.toByteArray();
      }
      at = start + size + 2;
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
