package io.fhirstream.demo.fhir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts a finished export job's files into a storage container as block blobs (Put Blob, authorised
 * by the SAS in the container URL), once per job, and names them by their URLs without the SAS: a
 * client then needs storage credentials of its own, as with Azure Health Data Services.
 */
final class BlobUpload {
  private final URI container;
  private final String sas;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Map<String, List<URI>> uploaded = new ConcurrentHashMap<>();

  /**
   * @param containerWithSas e.g. {@code http://127.0.0.1:10000/devstoreaccount1/export?sv=…&sig=…}
   */
  BlobUpload(URI containerWithSas) {
    String url = containerWithSas.toString();
    int query = url.indexOf('?');
    this.container = URI.create(query < 0 ? url : url.substring(0, query));
    this.sas = query < 0 ? "" : url.substring(query + 1);
  }

  /** The blob URLs of the job's files, uploading them on the first call. */
  synchronized List<URI> files(ExportJob job) throws IOException {
    List<URI> done = uploaded.get(job.id);
    if (done != null) {
      return done;
    }
    List<URI> urls = new ArrayList<>();
    List<ExportJob.File> files = job.files();
    for (int i = 0; i < files.size(); i++) {
      URI blob = URI.create(container + "/" + job.id + "/" + i + ".ndjson");
      put(blob, ndjson(files.get(i)));
      urls.add(blob);
    }
    uploaded.put(job.id, List.copyOf(urls));
    return urls;
  }

  private void put(URI blob, byte[] body) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(blob + (sas.isEmpty() ? "" : "?" + sas)))
            .timeout(Duration.ofSeconds(30))
            .header("x-ms-blob-type", "BlockBlob")
            .header("x-ms-version", "2021-08-06")
            .header("Content-Type", "application/fhir+ndjson")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw new IOException(
            "storage answered Put Blob " + blob.getRawPath() + " with " + response.statusCode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while uploading export files", e);
    }
  }

  private static byte[] ndjson(ExportJob.File file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ResourceVersion version : file.versions()) {
      out.writeBytes(version.json().orElseThrow().getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    return out.toByteArray();
  }
}
