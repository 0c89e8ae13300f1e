package io.fhirstream.store.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosEndToEndOperationLatencyPolicyConfigBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.fhirstream.api.PipelineException;

/** Builds the SDK's client from the settings; the only place the key is handed to the SDK. */
final class CosmosClients {
  private CosmosClients() {}

  /**
   * Connects (the SDK reads the account's regions here).
   *
   * @throws io.fhirstream.api.RetriableException when the account cannot be reached
   * @throws PipelineException when the key is malformed or refused
   */
  static CosmosClient connect(CosmosStoreConfig config) {
    CosmosClientBuilder builder =
        new CosmosClientBuilder()
            .endpoint(config.endpoint())
            .consistencyLevel(config.consistency())
            // Writes need the status and etag only; not echoing 1 MB bodies saves bandwidth.
            .contentResponseOnWriteEnabled(false)
            .endToEndOperationLatencyPolicyConfig(
                new CosmosEndToEndOperationLatencyPolicyConfigBuilder(config.requestTimeout())
                    .enable(true)
                    .build())
            .userAgentSuffix("fhirstream");
    if (config.mode() == CosmosStoreConfig.Mode.GATEWAY) {
      builder.gatewayMode();
    } else {
      builder.directMode();
    }
    if (!config.preferredRegions().isEmpty()) {
      builder.preferredRegions(config.preferredRegions());
    }
    if (config.auth() == CosmosStoreConfig.Auth.ENTRA_ID) {
      builder.credential(new DefaultAzureCredentialBuilder().build());
    } else {
      try {
        builder.key(config.key().value());
      } catch (IllegalArgumentException e) {
        // Deliberately without the cause: a parser's message may quote the value.
        throw new PipelineException(
            CosmosStoreConfig.KEY + " is not a Cosmos DB account key (base64); copy it again");
      }
    }
    try {
      return builder.buildClient();
    } catch (IllegalArgumentException e) {
      throw new PipelineException(
          "the Cosmos DB client cannot be built for "
              + config.endpoint()
              + " ("
              + e.getClass().getSimpleName()
              + "); check "
              + CosmosStoreConfig.ENDPOINT
              + " and "
              + CosmosStoreConfig.KEY);
    } catch (RuntimeException e) {
      throw CosmosErrors.translate(e, "connecting", config.endpoint());
    }
  }
}
