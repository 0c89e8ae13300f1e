package io.fhirstream.api.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A setting is missing, malformed, unknown or refers to something unusable. The message names the
 * key and says how to fix it; it never contains a secret's value.
 *
 * <p>Validation reports every problem at once, not the first one only: {@link #of(List)} combines
 * several into one exception whose {@link #problems()} lists each (one line per problem in its
 * message), so a user fixes a configuration in one round.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String key;
  private final List<ConfigException> problems;

  public ConfigException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
    this.problems = List.of(this);
  }

  private ConfigException(List<ConfigException> problems) {
    super(problems.stream().map(Throwable::getMessage).collect(Collectors.joining("\n")));
    this.key = problems.get(0).key();
    this.problems = List.copyOf(problems);
  }

  /**
   * One exception for several problems: the single one itself, or a combination listing them all.
   *
   * @param problems at least one; combinations among them are flattened
   */
  public static ConfigException of(List<ConfigException> problems) {
    List<ConfigException> flat = new ArrayList<>();
    problems.forEach(problem -> flat.addAll(problem.problems()));
    if (flat.isEmpty()) {
      throw new IllegalArgumentException("no problems to report");
    }
    return flat.size() == 1 ? flat.get(0) : new ConfigException(flat);
  }

  /** The offending key (the first one's, when several are reported). */
  public String key() {
    return key;
  }

  /** Every problem reported, each naming its key; this exception alone when it is a single one. */
  public List<ConfigException> problems() {
    return problems;
  }
}
