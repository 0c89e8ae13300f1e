package io.fhirstream.api.results;

import io.fhirstream.api.PipelineException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The names a store may not give a view's table (or container, or collection), and the check every
 * store's {@link ResultWriter#defineView} makes. A store keeps its documents under resource type
 * names and its own bookkeeping under {@link #AGGREGATE_RESULTS}, {@link #VIEW_VERSIONS} and {@link
 * #VIEW_DEFINITIONS}, so a view is refused when its name
 *
 * <ul>
 *   <li>is one of those three, in any letter case;
 *   <li>is a FHIR resource type (R4, R4B or R5) in any letter case, e.g. {@code patient}: SQLite's
 *       table names ignore case, and a reader of a store would take it for the resource type;
 *   <li>is shaped like a resource type, a capital letter then letters only (e.g. {@code Summary}):
 *       a store names a resource type's table so whatever the type, and its document reader lists
 *       every table of that shape as a resource type.
 * </ul>
 */
public final class ResultNames {
  /** The table (container, collection) holding every aggregate's result documents. */
  public static final String AGGREGATE_RESULTS = "aggregate_results";

  /** The table holding, per view and resource, the version its rows were made from. */
  public static final String VIEW_VERSIONS = "view_versions";

  /** The container or collection holding each view's columns, where the store has no schema. */
  public static final String VIEW_DEFINITIONS = "view_definitions";

  private static final Map<String, String> RESERVED =
      Map.of(
          AGGREGATE_RESULTS, "the aggregates' result documents",
          VIEW_VERSIONS, "the versions the views' rows were made from",
          VIEW_DEFINITIONS, "the views' columns");

  /** Resource types of FHIR R4, R4B and R5, in lower case. */
  private static final Set<String> RESOURCE_TYPES =
      Arrays.stream(
              ("Account ActivityDefinition ActorDefinition AdministrableProductDefinition "
                      + "AdverseEvent AllergyIntolerance Appointment AppointmentResponse "
                      + "ArtifactAssessment AuditEvent Basic Binary BiologicallyDerivedProduct "
                      + "BiologicallyDerivedProductDispense BodyStructure Bundle "
                      + "CapabilityStatement CarePlan CareTeam CatalogEntry ChargeItem "
                      + "ChargeItemDefinition Citation Claim ClaimResponse ClinicalImpression "
                      + "ClinicalUseDefinition CodeSystem Communication CommunicationRequest "
                      + "CompartmentDefinition Composition ConceptMap Condition "
                      + "ConditionDefinition Consent Contract Coverage "
                      + "CoverageEligibilityRequest CoverageEligibilityResponse DetectedIssue "
                      + "Device DeviceAssociation DeviceDefinition DeviceDispense DeviceMetric "
                      + "DeviceRequest DeviceUsage DeviceUseStatement DiagnosticReport "
                      + "DocumentManifest DocumentReference EffectEvidenceSynthesis Encounter "
                      + "EncounterHistory Endpoint EnrollmentRequest EnrollmentResponse "
                      + "EpisodeOfCare EventDefinition Evidence EvidenceReport EvidenceVariable "
                      + "ExampleScenario ExplanationOfBenefit FamilyMemberHistory Flag "
                      + "FormularyItem GenomicStudy Goal GraphDefinition Group GuidanceResponse "
                      + "HealthcareService ImagingSelection ImagingStudy Immunization "
                      + "ImmunizationEvaluation ImmunizationRecommendation ImplementationGuide "
                      + "Ingredient InsurancePlan InventoryItem InventoryReport Invoice Library "
                      + "Linkage List Location ManufacturedItemDefinition Measure MeasureReport "
                      + "Media Medication MedicationAdministration MedicationDispense "
                      + "MedicationKnowledge MedicationRequest MedicationStatement "
                      + "MedicinalProduct MedicinalProductAuthorization "
                      + "MedicinalProductContraindication MedicinalProductDefinition "
                      + "MedicinalProductIndication MedicinalProductIngredient "
                      + "MedicinalProductInteraction MedicinalProductManufactured "
                      + "MedicinalProductPackaged MedicinalProductPharmaceutical "
                      + "MedicinalProductUndesirableEffect MessageDefinition MessageHeader "
                      + "MolecularSequence NamingSystem NutritionIntake NutritionOrder "
                      + "NutritionProduct Observation ObservationDefinition OperationDefinition "
                      + "OperationOutcome Organization OrganizationAffiliation "
                      + "PackagedProductDefinition Parameters Patient PaymentNotice "
                      + "PaymentReconciliation Permission Person PlanDefinition Practitioner "
                      + "PractitionerRole Procedure Provenance Questionnaire "
                      + "QuestionnaireResponse RegulatedAuthorization RelatedPerson RequestGroup "
                      + "RequestOrchestration Requirements ResearchDefinition "
                      + "ResearchElementDefinition ResearchStudy ResearchSubject RiskAssessment "
                      + "RiskEvidenceSynthesis Schedule SearchParameter ServiceRequest Slot "
                      + "Specimen SpecimenDefinition StructureDefinition StructureMap "
                      + "Subscription SubscriptionStatus SubscriptionTopic Substance "
                      + "SubstanceDefinition SubstanceNucleicAcid SubstancePolymer "
                      + "SubstanceProtein SubstanceReferenceInformation SubstanceSourceMaterial "
                      + "SubstanceSpecification SupplyDelivery SupplyRequest Task "
                      + "TerminologyCapabilities TestPlan TestReport TestScript Transport "
                      + "ValueSet VerificationResult VisionPrescription Resource DomainResource")
                  .split(" "))
          .map(type -> type.toLowerCase(Locale.ROOT))
          .collect(Collectors.toUnmodifiableSet());

  private ResultNames() {}

  /**
   * Refuses a view name a store cannot give a table.
   *
   * @throws PipelineException naming the view, why, and the fix (rename the view)
   */
  public static void requireUsableViewName(String view) {
    String why = clash(view);
    if (why != null) {
      throw new PipelineException(
          "view " + view + " cannot be stored under its name: " + why + "; rename the view");
    }
  }

  /**
   * Checks an aggregate's name: a letter, then letters, digits and underscores, at most 63
   * characters, as a view's.
   *
   * @throws IllegalArgumentException otherwise: the caller's bug
   */
  public static void requireAggregateName(String aggregate) {
    if (aggregate == null || !aggregate.matches("[A-Za-z][A-Za-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "an aggregate name is a letter, then letters, digits and underscores: " + aggregate);
    }
  }

  /** Why a view cannot have this name, or null when it can. */
  static String clash(String view) {
    String lower = view.toLowerCase(Locale.ROOT);
    if (RESERVED.containsKey(lower)) {
      return "the store keeps " + RESERVED.get(lower) + " under that name";
    }
    if (RESOURCE_TYPES.contains(lower)) {
      return "it is the name of a FHIR resource type, whose documents the store keeps under it"
          + " (letter case aside)";
    }
    if (view.matches("[A-Z][A-Za-z]*")) {
      return "a capital letter followed by letters only is how the store names the tables of"
          + " resource types, and its readers would take the view for one (e.g. use "
          + lower
          + " or "
          + lower
          + "_view)";
    }
    return null;
  }
}
