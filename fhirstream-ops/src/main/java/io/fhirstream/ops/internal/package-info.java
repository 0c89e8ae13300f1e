/**
 * The endpoint's implementation: health evaluation, the dashboard's model, the servlets. Not an
 * API: only {@link io.fhirstream.ops.OperatorEndpoint} uses it, and it may change at any time.
 */
package io.fhirstream.ops.internal;
