package io.fhirstream.demo.workload;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.fhirstream.demo.fhir.ResourceStore;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.demo.patients.SyntheticRecords;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * The one generator of synthetic changes, shared by the demo, the benchmarks and the fault harness:
 * random changes to whole patient records, as clinical systems make them — patients, their
 * encounters, and observations and conditions that refer to the patient ({@code subject}) and to
 * one of the patient's encounters. Creates, updates, deletes and re-creates of deleted ids, in
 * every type given, in the proportions of a {@link Mix}. Deleting a patient first deletes the
 * patient's record, as a server that enforces referential integrity requires (HAPI JPA, or its
 * {@code _cascade=delete}).
 *
 * <p>Writes go over the FHIR REST API ({@link Builder#client}), or straight into the demo server's
 * store ({@link Builder#direct}) where a benchmark must not pay for HTTP. Built with {@link
 * #builder()}. Not thread-safe.
 */
public final class Workload {
  private static final Map<String, Integer> WEIGHTS =
      Map.of("Patient", 15, "Encounter", 20, "Observation", 50, "Condition", 15);

  /** Change kinds, as {@link #changes(String, int)} counts them. */
  public static final int CREATES = 0;

  public static final int UPDATES = 1;
  public static final int DELETES = 2;
  public static final int RECREATES = 3;

  /** Where writes go: the REST API, or the store directly when seeding before streaming. */
  private interface Writes {
    String create(Resource resource);

    void update(Resource resource);

    void delete(String type, String id);
  }

  private final Writes http;
  private final SyntheticPatients patients;
  private final SyntheticRecords records;
  private final Random random;
  private final Map<String, LivePool> pools = new LinkedHashMap<>();
  private final Map<String, List<String>> recordOf = new HashMap<>(); // patient → "Type/id"
  private final Map<String, String> patientOf = new HashMap<>(); // "Type/id" → patient
  private final Map<String, long[]> counts = new LinkedHashMap<>(); // c, u, d, r per type
  private boolean counting = true;

  private final Mix mix;
  private final Consumer<Resource> beforeWrite;

  private Workload(Builder builder) {
    for (String type : builder.types) {
      if (!SyntheticRecords.TYPES.contains(type)) {
        throw new IllegalArgumentException(
            "the demo generates " + SyntheticRecords.TYPES + ", not " + type);
      }
    }
    this.http = builder.direct != null ? direct(builder.direct) : rest(builder.client);
    this.patients =
        builder.patients != null ? builder.patients : new SyntheticPatients(builder.seed);
    this.records =
        builder.records != null ? builder.records : new SyntheticRecords(builder.seed + 1);
    this.random = new Random(builder.seed);
    this.mix = builder.mix;
    this.beforeWrite = builder.beforeWrite;
    pools.put("Patient", new LivePool());
    for (String type : builder.types) {
      pools.putIfAbsent(type, new LivePool());
      counts.put(type, new long[4]);
    }
  }

  /** Starts a workload: by default Patient only, the demo's mix, seed 7. */
  public static Builder builder() {
    return new Builder();
  }

  private static Writes rest(IGenericClient client) {
    Objects.requireNonNull(client, "a workload writes over a FHIR client or to a store: set one");
    return new Writes() {
      @Override
      public String create(Resource resource) {
        return client.create().resource(resource).execute().getId().getIdPart();
      }

      @Override
      public void update(Resource resource) {
        client.update().resource(resource).execute();
      }

      @Override
      public void delete(String type, String id) {
        client.delete().resourceById(type, id).execute();
      }
    };
  }

  private static Writes direct(ResourceStore store) {
    return new Writes() {
      @Override
      public String create(Resource resource) {
        return store.create(resource).id();
      }

      @Override
      public void update(Resource resource) {
        store.update(resource);
      }

      @Override
      public void delete(String type, String id) {
        store.delete(type, id);
      }
    };
  }

  /**
   * Seeds {@code count} patients with their records straight into the demo server's store (no HTTP,
   * before streaming starts); the workload then changes them too. Not counted as changes.
   */
  public void seed(ResourceStore store, int count) {
    Writes direct = direct(store);
    counting = false;
    try {
      for (int i = 0; i < count; i++) {
        String patient = create("Patient", direct, null);
        int encounters = served("Encounter") ? 1 + random.nextInt(3) : 1;
        for (int e = 0; e < encounters; e++) {
          String encounter = served("Encounter") ? create("Encounter", direct, patient) : null;
          for (int o = served("Observation") ? 2 + random.nextInt(3) : 0; o > 0; o--) {
            createDependent("Observation", direct, patient, encounter);
          }
          if (served("Condition") && random.nextInt(3) == 0) {
            createDependent("Condition", direct, patient, encounter);
          }
        }
      }
    } finally {
      counting = true;
    }
  }

  /** One random change: a type by weight, then a kind of change in the mix's proportions. */
  public void randomChange() {
    String type = randomType();
    if (pools.get(type).liveIds.size() < mix.minimumLive()) {
      create(type);
      return;
    }
    int roll = random.nextInt(mix.total());
    if (roll < mix.updates()) {
      update(type);
    } else if (roll < mix.updates() + mix.creates()) {
      create(type);
    } else if (roll < mix.updates() + mix.creates() + mix.deletes()) {
      delete(type);
    } else {
      recreate(type);
    }
  }

  /** Creates a patient; the id the server gave it. */
  public String create() {
    return create("Patient");
  }

  /** Updates a random live patient. */
  public void update() {
    update("Patient");
  }

  /** Deletes a random live patient (and its record). */
  public void delete() {
    delete("Patient");
  }

  /** Re-creates a deleted patient's id with a new patient. */
  public void recreate() {
    recreate("Patient");
  }

  /** Creates a resource of the type over HTTP, for a random live patient if it is clinical. */
  public String create(String type) {
    return create(type, http, null);
  }

  /** Updates a random live resource of the type (creates one if there is none). */
  public void update(String type) {
    LivePool pool = pools.get(type);
    if (pool.liveIds.isEmpty()) {
      create(type);
      return;
    }
    String id = pool.randomLive(random);
    Resource current = pool.live.get(id);
    Resource changed =
        written(
            current instanceof Patient patient
                ? patients.mutate(patient)
                : records.mutate(current));
    prepare(changed, id);
    http.update(changed);
    pool.live.put(id, changed);
    count(type, 1);
  }

  /** Deletes a random live resource of the type; a patient's record goes first. */
  public void delete(String type) {
    LivePool pool = pools.get(type);
    if (pool.liveIds.isEmpty()) {
      return;
    }
    String id = pool.randomLive(random);
    if (type.equals("Patient")) {
      for (String member : recordOf.getOrDefault(id, List.of())) {
        String[] parts = member.split("/", 2);
        if (pools.get(parts[0]).live.containsKey(parts[1])) {
          deleteOne(parts[0], parts[1]);
        }
      }
    }
    deleteOne(type, id);
  }

  /** Re-creates a deleted id of the type with a new resource (update as create). */
  public void recreate(String type) {
    LivePool pool = pools.get(type);
    if (pool.deletedIds.isEmpty()) {
      update(type);
      return;
    }
    String id = pool.deletedIds.remove(random.nextInt(pool.deletedIds.size()));
    String patient = type.equals("Patient") ? null : livePatient();
    Resource resource = newResource(type, patient, patient == null ? null : encounterOf(patient));
    prepare(resource, id);
    http.update(resource);
    remember(type, id, resource, patient);
    count(type, 3);
  }

  private String create(String type, Writes writes, String patient) {
    if (type.equals("Patient")) {
      Resource resource = newResource(type, null, null);
      String id = writes.create(resource);
      prepare(resource, id);
      remember(type, id, resource, null);
      count(type, 0);
      return id;
    }
    String owner = patient != null ? patient : livePatient();
    return createDependent(type, writes, owner, encounterOf(owner));
  }

  private String createDependent(String type, Writes writes, String patient, String encounter) {
    Resource resource = newResource(type, patient, encounter);
    String id = writes.create(resource);
    prepare(resource, id);
    remember(type, id, resource, patient);
    count(type, 0);
    return id;
  }

  private void deleteOne(String type, String id) {
    LivePool pool = pools.get(type);
    pool.remove(id);
    http.delete(type, id);
    pool.deletedIds.add(id);
    count(type, 2);
  }

  private Resource newResource(String type, String patient, String encounter) {
    return written(generate(type, patient, encounter));
  }

  private Resource generate(String type, String patient, String encounter) {
    return switch (type) {
      case "Patient" -> patients.next();
      case "Encounter" -> records.encounter(patient);
      case "Observation" -> records.observation(patient, encounter);
      case "Condition" -> records.condition(patient, encounter);
      default -> throw new IllegalArgumentException("the demo does not generate " + type);
    };
  }

  /** A random live patient, created first when there is none. */
  private String livePatient() {
    LivePool patientPool = pools.get("Patient");
    return patientPool.liveIds.isEmpty()
        ? create("Patient", http, null)
        : patientPool.randomLive(random);
  }

  /** A random live encounter of the patient, or null. */
  private String encounterOf(String patient) {
    if (!served("Encounter")) {
      return null;
    }
    LivePool encounters = pools.get("Encounter");
    List<String> candidates = new ArrayList<>();
    for (String member : recordOf.getOrDefault(patient, List.of())) {
      if (member.startsWith("Encounter/") && encounters.live.containsKey(member.substring(10))) {
        candidates.add(member.substring(10));
      }
    }
    return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
  }

  private void remember(String type, String id, Resource resource, String patient) {
    pools.get(type).add(id, resource);
    if (patient != null) {
      String key = type + "/" + id;
      String previous = patientOf.put(key, patient);
      if (previous != null && !previous.equals(patient)) {
        recordOf.getOrDefault(previous, new ArrayList<>()).remove(key);
      }
      List<String> record = recordOf.computeIfAbsent(patient, p -> new ArrayList<>());
      if (!record.contains(key)) {
        record.add(key);
      }
    }
  }

  /** A plain id and no meta, so an update carries no version the server would check. */
  private static void prepare(Resource resource, String id) {
    resource.setId(id);
    resource.setMeta(null);
  }

  /** A new or changed resource, as it will be written: the builder's hook has seen it. */
  private Resource written(Resource resource) {
    beforeWrite.accept(resource);
    return resource;
  }

  private boolean served(String type) {
    return counts.containsKey(type);
  }

  private String randomType() {
    int total = counts.keySet().stream().mapToInt(WEIGHTS::get).sum();
    int roll = random.nextInt(total);
    for (String type : counts.keySet()) {
      roll -= WEIGHTS.get(type);
      if (roll < 0) {
        return type;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private void count(String type, int kind) {
    if (counting && counts.containsKey(type)) {
      counts.get(type)[kind]++;
    }
  }

  /** Changes made over HTTP of one type: creates, updates, deletes, re-creates. */
  public long changes(String type, int kind) {
    long[] perType = counts.get(type);
    return perType == null ? 0 : perType[kind];
  }

  /** Every change made over HTTP. */
  public long changes() {
    long total = 0;
    for (long[] perType : counts.values()) {
      for (long n : perType) {
        total += n;
      }
    }
    return total;
  }

  /** What was done, per type, for the summary. */
  public String summary() {
    List<String> parts = new ArrayList<>();
    counts.forEach(
        (type, n) ->
            parts.add(
                String.format(
                    "%s: %,d creates, %,d updates, %,d deletes, %,d re-creates",
                    type, n[0], n[1], n[2], n[3])));
    return String.join("; ", parts);
  }

  /** The live ids of a type, with O(1) random pick and removal. */
  private static final class LivePool {
    final Map<String, Resource> live = new HashMap<>();
    final List<String> liveIds = new ArrayList<>();
    final Map<String, Integer> index = new HashMap<>();
    final List<String> deletedIds = new ArrayList<>();

    void add(String id, Resource resource) {
      if (live.put(id, resource) == null) {
        index.put(id, liveIds.size());
        liveIds.add(id);
      }
    }

    String randomLive(Random random) {
      return liveIds.get(random.nextInt(liveIds.size()));
    }

    void remove(String id) {
      live.remove(id);
      Integer at = index.remove(id);
      if (at == null) {
        return;
      }
      String last = liveIds.remove(liveIds.size() - 1);
      if (!last.equals(id)) {
        liveIds.set(at, last);
        index.put(last, at);
      }
    }
  }

  /**
   * The proportions of the kinds of change, in parts of their sum.
   *
   * @param minimumLive below this many live resources of a type, a change creates one
   */
  public record Mix(int updates, int creates, int deletes, int recreates, int minimumLive) {
    /** The demo's: mostly updates, some creates and deletes, a few re-creates. */
    public static final Mix DEMO = new Mix(50, 25, 18, 7, 0);

    /** Deletes and re-creates in equal measure, so the population stays the same size. */
    public static final Mix STEADY = new Mix(94, 0, 3, 3, 1);

    /** The fault harness's: a population of at least 20, every kind of change often. */
    public static final Mix FAULTS = new Mix(55, 25, 15, 5, 20);

    public Mix {
      if (updates < 0 || creates < 0 || deletes < 0 || recreates < 0 || minimumLive < 0) {
        throw new IllegalArgumentException("a mix has no negative parts");
      }
      if (updates + creates + deletes + recreates == 0) {
        throw new IllegalArgumentException("a mix needs at least one kind of change");
      }
    }

    int total() {
      return updates + creates + deletes + recreates;
    }
  }

  /** Checks itself at {@link #build()}: a workload writes somewhere. */
  public static final class Builder {
    private IGenericClient client;
    private ResourceStore direct;
    private List<String> types = List.of("Patient");
    private long seed = 7;
    private Mix mix = Mix.DEMO;
    private SyntheticPatients patients;
    private SyntheticRecords records;
    private Consumer<Resource> beforeWrite = resource -> {};

    private Builder() {}

    /** Writes over the FHIR REST API with this client. */
    public Builder client(IGenericClient client) {
      this.client = client;
      return this;
    }

    /** Writes straight into the demo server's store: no HTTP, for benchmarks. */
    public Builder direct(ResourceStore store) {
      this.direct = store;
      return this;
    }

    /** The types to change, from {@link SyntheticRecords#TYPES}; Patient by default. */
    public Builder types(List<String> types) {
      this.types = List.copyOf(types);
      return this;
    }

    /** The seed of every random choice; the same seed makes the same changes. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder mix(Mix mix) {
      this.mix = Objects.requireNonNull(mix);
      return this;
    }

    /** The generators of patients and records; by default seeded from {@link #seed}. */
    public Builder generators(SyntheticPatients patients, SyntheticRecords records) {
      this.patients = patients;
      this.records = records;
      return this;
    }

    /** Sees (and may change) every new or changed resource before it is written. */
    public Builder beforeWrite(Consumer<Resource> hook) {
      this.beforeWrite = Objects.requireNonNull(hook);
      return this;
    }

    public Workload build() {
      if ((client == null) == (direct == null)) {
        throw new IllegalStateException(
            "a workload writes either over a FHIR client (client) or into a store (direct)");
      }
      return new Workload(this);
    }
  }
}
