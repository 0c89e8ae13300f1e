package io.fhirstream.source.capture;

import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * A first load of several types at once (e.g. bulk {@code $export}) that {@code ChangeCapture} runs
 * before polling, for the types without a cursor.
 */
@FunctionalInterface
public interface InitialLoad {

  /**
   * Loads the types and hands over to incremental capture. Resumable: interrupted, the next call
   * with the same types continues where this one stopped.
   *
   * @param types the types without a cursor
   * @param commitCursor commits a type's cursor, durably; called for every type once everything the
   *     cursor covers is published and acknowledged
   * @param running false once capture is stopping; the load then returns or throws {@link
   *     java.util.concurrent.CancellationException} soon
   */
  void load(List<String> types, BiConsumer<String, Instant> commitCursor, BooleanSupplier running);
}
