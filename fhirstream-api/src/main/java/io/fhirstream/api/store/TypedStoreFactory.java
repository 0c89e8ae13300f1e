package io.fhirstream.api.store;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.results.ResultReader;
import io.fhirstream.api.results.ResultWriter;
import java.util.function.Function;

/**
 * A {@link DocumentStoreFactory} from its parts: the store's name, its settings' declaration and
 * how they are read into a typed record, and how that record makes a writer and a reader. A store's
 * factory is then one constructor call:
 *
 * <pre>{@code
 * public final class SqliteStoreFactory extends TypedStoreFactory<SqliteStoreConfig> {
 *   public SqliteStoreFactory() {
 *     super("sqlite", SqliteStoreConfig.DEFINITION, SqliteStoreConfig::from,
 *         SqliteDocumentWriter::new, SqliteDocumentReader::open);
 *   }
 * }
 * }</pre>
 *
 * @param <S> the store's typed settings
 */
public abstract class TypedStoreFactory<S> implements DocumentStoreFactory {
  private final String name;
  private final ConfigDefinition definition;
  private final Function<Config, S> settings;
  private final Function<S, DocumentWriter> writer;
  private final Function<S, DocumentReader> reader;
  private Function<S, ResultWriter> resultWriter;
  private Function<S, ResultReader> resultReader;

  protected TypedStoreFactory(
      String name,
      ConfigDefinition definition,
      Function<Config, S> settings,
      Function<S, DocumentWriter> writer,
      Function<S, DocumentReader> reader) {
    this.name = name;
    this.definition = definition;
    this.settings = settings;
    this.writer = writer;
    this.reader = reader;
  }

  /** Declares that the store holds the analytics role's results too; call in the constructor. */
  protected final void holdsResults(
      Function<S, ResultWriter> resultWriter, Function<S, ResultReader> resultReader) {
    this.resultWriter = resultWriter;
    this.resultReader = resultReader;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final ConfigDefinition configDefinition() {
    return definition;
  }

  @Override
  public final DocumentWriter createWriter(Config config) {
    return writer.apply(settings.apply(config));
  }

  @Override
  public final DocumentReader createReader(Config config) {
    return reader.apply(settings.apply(config));
  }

  @Override
  public ResultWriter createResultWriter(Config config) {
    return resultWriter == null
        ? DocumentStoreFactory.super.createResultWriter(config)
        : resultWriter.apply(settings.apply(config));
  }

  @Override
  public ResultReader createResultReader(Config config) {
    return resultReader == null
        ? DocumentStoreFactory.super.createResultReader(config)
        : resultReader.apply(settings.apply(config));
  }

  /** The typed settings, for a store's own tools (e.g. a benchmark of its driver alone). */
  public final S settings(Config config) {
    return settings.apply(config);
  }
}
