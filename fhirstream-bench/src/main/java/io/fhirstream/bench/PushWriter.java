package io.fhirstream.bench;

import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.fhir.ResourceVersion;
import io.fhirstream.demo.patients.SyntheticPatients;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hl7.fhir.r4.model.Patient;

/**
 * The push benchmark's FHIR side in a process of its own: the demo FHIR server, which sends
 * rest-hook notifications as HAPI FHIR does, and a writer changing Patients at a steady rate, so
 * that neither the writer's CPU (building and encoding every version) nor the server's delivery
 * threads share the pipeline's JVM and its garbage collector.
 *
 * <p>Protocol on stdin/stdout: prints {@code ready <baseUrl>}; on a line {@code go <rate>
 * <seconds>} writes at that rate for that long, printing {@code w <id>/<version> <nanoTime>} per
 * write ({@link System#nanoTime()} is the machine's monotonic clock on Linux, comparable between
 * processes), then {@code done <changes> <delivered> <dropped>}; ends at the end of its input.
 */
public final class PushWriter {
  private PushWriter() {}

  public static void main(String[] args) throws Exception {
    PrintStream out =
        new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
    try (DemoFhirServer server =
        DemoFhirServer.builder().resourceTypes("Patient").port(0).build().start()) {
      out.println("ready " + server.baseUrl());
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.trim().split("\\s+");
        if (words[0].equals("go")) {
          long written = write(server, Integer.parseInt(words[1]), Long.parseLong(words[2]), out);
          // Deliveries still under way are counted by the pipeline side; these are the server's.
          out.printf(
              "done %d %d %d%n", written, server.restHooksDelivered(), server.restHooksDropped());
          out.flush();
        }
      }
    }
  }

  /** A third creates, the rest updates of a random live patient, at a steady rate. */
  private static long write(DemoFhirServer server, int rate, long seconds, PrintStream out)
      throws InterruptedException {
    SyntheticPatients generator = new SyntheticPatients(3);
    List<Patient> live = new ArrayList<>();
    Random random = new Random(5);
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long written = 0;
    long flushed = start;
    for (long next = start; next < end; next += interval) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      ResourceVersion version;
      if (live.size() < 100 || random.nextInt(3) == 0) {
        Patient patient = generator.next();
        version = server.store().create(patient);
        live.add(patient);
      } else {
        int index = random.nextInt(live.size());
        Patient changed = generator.mutate(live.get(index));
        changed.setId(live.get(index).getIdElement().getIdPart());
        version = server.store().update(changed);
        live.set(index, changed);
      }
      long at = System.nanoTime();
      out.printf("w %s/%d %d%n", version.id(), version.versionId(), at);
      if (at - flushed > 20_000_000L) {
        out.flush();
        flushed = at;
      }
      written++;
    }
    out.flush();
    return written;
  }
}
