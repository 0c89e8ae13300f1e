package io.fhirstream.demo.fhir;

import java.net.URI;
import java.util.List;

/**
 * An active rest-hook Subscription as the notifier needs it.
 *
 * @param subscriptionId the Subscription's id
 * @param resourceType the type its criteria {@code {Type}?} matches
 * @param endpoint {@code channel.endpoint}
 * @param fullResource whether {@code channel.payload} is set: the resource is PUT to {@code
 *     {endpoint}/{Type}/{id}}; else an empty POST to the endpoint
 * @param sendDeletes HAPI's {@code subscription-send-delete-messages}: deletions are sent as {@code
 *     DELETE {endpoint}/{Type}/{id}}
 * @param headers {@code channel.header}, each as {name, value}
 */
record RestHook(
    String subscriptionId,
    String resourceType,
    URI endpoint,
    boolean fullResource,
    boolean sendDeletes,
    List<String[]> headers) {}
