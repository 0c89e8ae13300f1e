package io.fhirstream.fault;

/** One way of trying to break the pipeline, with the verdict of the store against the server. */
interface Scenario {
  String name();

  /** What the scenario does, for the report. */
  String description();

  ScenarioResult run(Cluster cluster, Profile profile, CanaryLedger canaries) throws Exception;
}
