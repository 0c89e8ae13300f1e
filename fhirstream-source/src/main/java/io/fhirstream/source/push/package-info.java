/**
 * Push mode: the FHIR R4 rest-hook endpoint ({@link io.fhirstream.source.push.PushEndpoint}), its
 * settings ({@link io.fhirstream.source.push.PushConfig}, keys {@code source.push.*}) and the
 * Subscriptions that feed it ({@link io.fhirstream.source.push.SubscriptionSetup}). Push runs
 * beside the capture loop, which keeps polling slowly as the safety net.
 */
package io.fhirstream.source.push;
