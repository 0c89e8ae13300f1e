package io.fhirstream.source.export;

import io.fhirstream.api.Backoff;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.Secret;
import io.fhirstream.source.auth.AuthConfig;
import io.fhirstream.source.http.FhirCredentials;
import io.fhirstream.source.http.FhirHttpClient;
import io.fhirstream.source.http.HttpUrls;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a server writes its {@code $export} files when they are not on its own origin (Azure Health
 * Data Services writes them into a storage account), and the credential fhirstream reads them with:
 * a SAS appended to the file URLs, or a bearer token from Azure identity for the storage scope.
 * Either goes to the configured storage origin only, and the FHIR server's token never does.
 *
 * @param origin the storage account's origin, e.g. {@code https://ACCOUNT.blob.core.windows.net}
 * @param auth how to authenticate to it
 * @param sas the shared access signature's query (no leading {@code ?}) for {@link Auth#SAS}
 * @param clientId a user-assigned managed identity's client id for {@link Auth#AZURE}
 */
public record StorageAccess(
    Optional<URI> origin, Auth auth, Optional<Secret> sas, Optional<String> clientId) {

  /** How fhirstream authenticates to the storage origin. */
  public enum Auth {
    /** No credential: the files are readable as they are (e.g. the URLs carry a SAS already). */
    NONE,
    /** A shared access signature appended to each file URL's query. */
    SAS,
    /**
     * Azure identity's DefaultAzureCredential, scope {@code https://storage.azure.com/.default}.
     */
    AZURE
  }

  static final String URL = "source.export.storage.url";
  static final String AUTH = "source.export.storage.auth";
  static final String SAS_KEY = "source.export.storage.sas";
  static final String SAS_FILE = "source.export.storage.sas-file";
  static final String CLIENT_ID = "source.export.storage.client-id";

  /** The scope of a token for Azure Storage. */
  static final String STORAGE_SCOPE = "https://storage.azure.com/.default";

  /** The Blob service version asked for: bearer tokens need 2017-11-09 or later. */
  static final String STORAGE_VERSION = "2021-08-06";

  /** No storage account: files are read from the FHIR server's origin (or without credentials). */
  public static StorageAccess none() {
    return new StorageAccess(Optional.empty(), Auth.NONE, Optional.empty(), Optional.empty());
  }

  /**
   * Reads and checks the validated settings.
   *
   * @throws ConfigException naming the key and the fix
   */
  static StorageAccess from(Config config) {
    String url = config.getString(URL).trim();
    Auth auth = Auth.valueOf(config.getString(AUTH).toUpperCase(Locale.ROOT));
    Optional<Secret> sas = sas(config);
    Optional<String> clientId =
        Optional.of(config.getString(CLIENT_ID).trim()).filter(id -> !id.isEmpty());
    if (url.isEmpty()) {
      if (auth != Auth.NONE || sas.isPresent() || clientId.isPresent()) {
        throw new ConfigException(
            URL,
            "is not set, but "
                + AUTH
                + " or its credential is; set it to the storage account's origin, e.g."
                + " https://ACCOUNT.blob.core.windows.net");
      }
      return none();
    }
    String problem = HttpUrls.problemWithoutCredentials(url, "set " + SAS_KEY + " instead");
    if (problem != null) {
      throw new ConfigException(URL, problem);
    }
    URI origin = URI.create(url);
    if (origin.getRawQuery() != null) {
      throw new ConfigException(URL, "has a query; give the origin alone and a SAS in " + SAS_KEY);
    }
    if (auth == Auth.SAS && sas.isEmpty()) {
      throw new ConfigException(SAS_KEY, "is required by " + AUTH + "=sas; set it or " + SAS_FILE);
    }
    if (auth != Auth.SAS && sas.isPresent()) {
      throw new ConfigException(SAS_KEY, "is set, but " + AUTH + " is not sas; set it to sas");
    }
    if (auth != Auth.AZURE && clientId.isPresent()) {
      throw new ConfigException(CLIENT_ID, "is set, but " + AUTH + " is not azure");
    }
    if (auth == Auth.AZURE) {
      AuthConfig.requireAzureIdentity(AUTH);
    }
    return new StorageAccess(Optional.of(origin), auth, sas, clientId);
  }

  /** Whether a file is on the storage origin, so it is read with the storage credential. */
  boolean serves(URI file) {
    return origin.isPresent()
        && FhirHttpClient.origin(file).equals(FhirHttpClient.origin(origin.get()))
        && file.getRawUserInfo() == null;
  }

  /**
   * A client of the storage origin: its credential (a token of the storage scope) is sent to that
   * origin only, as the FHIR client's to the FHIR server.
   */
  FhirHttpClient client(
      Duration connectTimeout, Duration requestTimeout, Backoff backoff, Duration refreshSkew) {
    URI base = origin.orElseThrow();
    FhirCredentials credentials =
        auth == Auth.AZURE
            ? AuthConfig.azureIdentity(
                STORAGE_SCOPE, clientId, refreshSkew, "the storage account " + base.getHost())
            : FhirCredentials.none();
    return new FhirHttpClient(
        base,
        connectTimeout,
        requestTimeout,
        backoff,
        Integer.MAX_VALUE,
        credentials,
        Map.of("x-ms-version", STORAGE_VERSION));
  }

  /** Whether requests carry the client's token ({@link Auth#AZURE}). */
  boolean sendsToken() {
    return auth == Auth.AZURE;
  }

  /** The URL to GET a file at: with the SAS appended for {@link Auth#SAS}. */
  URI locate(URI file) {
    if (auth != Auth.SAS) {
      return file;
    }
    String query = file.getRawQuery();
    String signature = sas.orElseThrow().value();
    return URI.create(
        file.toString().replaceFirst("#.*$", "")
            + (query == null || query.isEmpty() ? "?" : "&")
            + signature);
  }

  private static Optional<Secret> sas(Config config) {
    String inline = config.getString(SAS_KEY).trim();
    String file = config.getString(SAS_FILE).trim();
    if (!inline.isEmpty() && !file.isEmpty()) {
      throw new ConfigException(SAS_FILE, "and " + SAS_KEY + " are both set; keep one of them");
    }
    String value = inline;
    if (!file.isEmpty()) {
      try {
        value = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new ConfigException(
            SAS_FILE, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    value = value.startsWith("?") ? value.substring(1) : value;
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!value.contains("sig=")) {
      throw new ConfigException(
          inline.isEmpty() ? SAS_FILE : SAS_KEY,
          "does not look like a shared access signature (no sig= parameter); give the token's"
              + " query string, e.g. sv=…&sr=c&sp=rl&se=…&sig=…");
    }
    return Optional.of(new Secret(value));
  }

  /** The values of source.export.storage.auth. */
  static List<String> authValues() {
    return List.of("none", "sas", "azure");
  }

  @Override
  public String toString() {
    // The SAS is a credential: never printed.
    return "StorageAccess[" + origin.map(FhirHttpClient::origin).orElse("none") + ", " + auth + "]";
  }
}
