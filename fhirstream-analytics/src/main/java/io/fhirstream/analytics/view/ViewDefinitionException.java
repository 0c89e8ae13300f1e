package io.fhirstream.analytics.view;

/**
 * A ViewDefinition that cannot be used: malformed JSON, a missing or misspelled element, a FHIRPath
 * expression that does not parse or names something R4 does not have, or a shape the SQL on FHIR
 * specification forbids. Thrown when the view is loaded, never while rows are made.
 *
 * <p>The message names the view (its {@code name}, and the file or classpath resource it came
 * from), the element at fault as a JSON path such as {@code select[0].column[2].path}, and the
 * problem with a hint how to fix it.
 */
public class ViewDefinitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String view;
  private final String element;
  private final String problem;

  /**
   * @param view the view's name and/or source, as it should appear in the message
   * @param element the element at fault, e.g. {@code select[0].forEach}; {@code null} for the whole
   *     view
   * @param problem what is wrong and, where possible, how to fix it
   */
  public ViewDefinitionException(String view, String element, String problem) {
    this(view, element, problem, null);
  }

  public ViewDefinitionException(String view, String element, String problem, Throwable cause) {
    super(
        "Invalid ViewDefinition "
            + view
            + (element == null || element.isEmpty() ? "" : " at " + element)
            + ": "
            + problem,
        cause);
    this.view = view;
    this.element = element;
    this.problem = problem;
  }

  /** The view's name and/or source, e.g. {@code 'patient_demographics' (patients.json)}. */
  public String view() {
    return view;
  }

  /** The element at fault, e.g. {@code select[0].column[2].path}, or {@code null}. */
  public String element() {
    return element;
  }

  /** What is wrong, without the view and element. */
  public String problem() {
    return problem;
  }
}
