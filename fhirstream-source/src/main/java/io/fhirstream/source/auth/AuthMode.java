package io.fhirstream.source.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How fhirstream authenticates to the FHIR server ({@code source.fhir.auth}). */
public enum AuthMode {
  /** No credentials. */
  NONE,
  /** HTTP Basic with a username and password. */
  BASIC,
  /** A static bearer token ({@code source.fhir.bearer-token}). */
  BEARER,
  /** OAuth2 client credentials grant, the client authenticated by a client secret. */
  CLIENT_CREDENTIALS,
  /** SMART Backend Services: client credentials, the client authenticated by a signed JWT. */
  SMART_BACKEND,
  /**
   * Azure identity's DefaultAzureCredential (managed identity, workload identity, service principal
   * from the environment, Azure CLI), for Azure Health Data Services and Azure API for FHIR.
   */
  AZURE;

  /** The configuration value, e.g. {@code client-credentials}. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static List<String> configValues() {
    return Arrays.stream(values()).map(AuthMode::configValue).toList();
  }

  static AuthMode fromConfigValue(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
