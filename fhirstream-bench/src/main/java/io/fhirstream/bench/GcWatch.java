package io.fhirstream.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/** Collects every GC's duration while a run lasts: count, total and longest pause. */
final class GcWatch implements AutoCloseable {
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong totalMillis = new AtomicLong();
  private final AtomicLong maxMillis = new AtomicLong();
  private final List<Runnable> unregister = new ArrayList<>();

  GcWatch() {
    NotificationListener listener =
        (notification, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
              notification.getType())) {
            long millis =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
                    .getGcInfo()
                    .getDuration();
            count.incrementAndGet();
            totalMillis.addAndGet(millis);
            maxMillis.accumulateAndGet(millis, Math::max);
          }
        };
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        unregister.add(
            () -> {
              try {
                emitter.removeNotificationListener(listener);
              } catch (javax.management.ListenerNotFoundException e) {
                // already gone
              }
            });
      }
    }
  }

  long count() {
    return count.get();
  }

  long totalMillis() {
    return totalMillis.get();
  }

  /** The longest collection; for G1's young collections this is the pause. */
  long maxMillis() {
    return maxMillis.get();
  }

  /** Heap in use right after a full collection: what is really live. */
  static long liveHeapMb() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
  }

  @Override
  public void close() {
    unregister.forEach(Runnable::run);
  }
}
