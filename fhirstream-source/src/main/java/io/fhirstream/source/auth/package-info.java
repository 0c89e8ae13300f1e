/**
 * Authentication to the FHIR server: static credentials (basic, bearer) and OAuth2 access tokens
 * (client credentials with a client secret, SMART Backend Services with a signed client assertion),
 * cached and refreshed before they expire. Credentials are handed only to callers that send them to
 * the configured FHIR base URL's origin; the token endpoint receives only the client's own
 * credentials.
 */
package io.fhirstream.source.auth;
