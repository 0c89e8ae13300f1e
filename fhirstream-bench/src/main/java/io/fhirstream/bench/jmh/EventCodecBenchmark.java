package io.fhirstream.bench.jmh;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.EventOrigin;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Patient change through the event codec: {@code decode} runs for every record a sink consumes,
 * {@code encode} for every version capture publishes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class EventCodecBenchmark {
  private EventCodec codec;
  private ChangeEvent event;
  private ConsumerRecord<String, byte[]> record;

  @Setup
  public void setUp() throws BadEventException {
    HubConfig hub = HubConfig.from(HubConfig.DEFINITION.parse(Map.of()));
    codec = new EventCodec(hub, URI.create(Fixtures.BASE_URL));
    Instant lastUpdated = Fixtures.lastUpdated(42);
    event =
        ChangeEvent.upsert(
            Fixtures.TYPE, "10042", "3", lastUpdated, Fixtures.patient("10042", "3", lastUpdated));
    ProducerRecord<String, byte[]> sent = codec.encode(event);
    record =
        new ConsumerRecord<>(
            sent.topic(),
            1,
            48_213L,
            lastUpdated.toEpochMilli(),
            TimestampType.CREATE_TIME,
            sent.key().getBytes(StandardCharsets.UTF_8).length,
            sent.value().length,
            sent.key(),
            sent.value(),
            sent.headers(),
            Optional.empty());
    // A benchmark that measures a rejection path by mistake would look splendid: check first.
    ChangeEvent decoded = codec.decode(record);
    if (!decoded.equals(event.withOrigin(new EventOrigin(sent.topic(), 1, 48_213L)))) {
      throw new IllegalStateException("decode(encode(event)) is not the event: " + decoded);
    }
  }

  @Benchmark
  public ChangeEvent decode() throws BadEventException {
    return codec.decode(record);
  }

  @Benchmark
  public ProducerRecord<String, byte[]> encode() {
    return codec.encode(event);
  }
}
