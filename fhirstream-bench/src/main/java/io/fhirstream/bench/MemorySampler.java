package io.fhirstream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** Samples heap use in the background; reads the process's peak RSS from /proc. */
final class MemorySampler {
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peakHeap;

  private MemorySampler() {
    thread = new Thread(this::sample, "bench-memory");
    thread.setDaemon(true);
  }

  static MemorySampler start() {
    MemorySampler sampler = new MemorySampler();
    sampler.thread.start();
    return sampler;
  }

  private void sample() {
    while (running) {
      long used = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          used += pool.getUsage().getUsed();
        }
      }
      peakHeap = Math.max(peakHeap, used);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  void stop() {
    running = false;
    thread.interrupt();
  }

  long peakHeapMb() {
    return peakHeap / (1024 * 1024);
  }

  /** VmHWM from /proc/self/status, or -1 where there is no /proc. */
  static long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
