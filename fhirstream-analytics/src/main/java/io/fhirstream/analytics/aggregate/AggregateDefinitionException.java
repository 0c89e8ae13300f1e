package io.fhirstream.analytics.aggregate;

/**
 * An aggregate definition that cannot be used: malformed JSON, a missing or misspelled element, a
 * column its view does not have, a measure that needs numbers over a column of text, a window
 * without a time column. Thrown at start-up, never while results are made.
 *
 * <p>The message names the file, the aggregate, the element at fault as a JSON path such as {@code
 * measures[1].column}, and the problem with a hint how to fix it.
 */
public class AggregateDefinitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String element;

  /**
   * @param aggregate the aggregate's name and/or file, as it should appear in the message
   * @param element the element at fault, or {@code null} for the whole definition
   * @param problem what is wrong and how to fix it
   */
  public AggregateDefinitionException(String aggregate, String element, String problem) {
    this(aggregate, element, problem, null);
  }

  public AggregateDefinitionException(
      String aggregate, String element, String problem, Throwable cause) {
    super(
        "Invalid aggregate "
            + aggregate
            + (element == null || element.isEmpty() ? "" : " at " + element)
            + ": "
            + problem,
        cause);
    this.element = element;
  }

  /** The element at fault, e.g. {@code groupBy[0]}, or {@code null}. */
  public String element() {
    return element;
  }
}
