/** Hooks for fhirstream's own tests (the fault harness); not for use by plugins or users. */
package io.fhirstream.runtime.internal;
