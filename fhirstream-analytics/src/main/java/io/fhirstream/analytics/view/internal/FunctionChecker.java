package io.fhirstream.analytics.view.internal;

import io.fhirstream.analytics.view.internal.PathType.Candidate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Function;

/**
 * The function part of {@link PathChecker}: which FHIRPath functions a view may call, what each
 * gives, and the checks of {@code ofType()}, {@code getResourceKey()} and {@code
 * getReferenceKey()}.
 */
final class FunctionChecker {
  /**
   * Functions a view may not use, and why: each would make a row depend on something other than its
   * own resource, or write resource content to the log.
   */
  private static final Map<Function, String> REFUSED =
      Map.ofEntries(
          Map.entry(
              Function.Resolve,
              "a row must depend on its own resource only; join views"
                  + " with getReferenceKey() and getResourceKey() instead"),
          Map.entry(Function.MemberOf, "views cannot reach a terminology server"),
          Map.entry(Function.ConformsTo, "views cannot validate against profiles"),
          Map.entry(Function.Trace, "it writes resource content (patient data) to the log"),
          Map.entry(Function.Now, "rows would change without the resource changing"),
          Map.entry(Function.Today, "rows would change without the resource changing"),
          Map.entry(Function.DefineVariable, "defineVariable() is not supported in views"),
          Map.entry(Function.Check, "check() is internal to the FHIR validator"),
          Map.entry(Function.HtmlChecks1, "internal to the FHIR validator"),
          Map.entry(Function.HtmlChecks2, "internal to the FHIR validator"),
          Map.entry(Function.Comparable, "internal to the FHIR validator"),
          Map.entry(Function.hasTemplateIdOf, "it is for CDA documents"));

  private static final Set<Function> BOOLEAN_RESULT =
      EnumSet.of(
          Function.Empty,
          Function.Not,
          Function.Exists,
          Function.SubsetOf,
          Function.SupersetOf,
          Function.IsDistinct,
          Function.All,
          Function.AllFalse,
          Function.AnyFalse,
          Function.AllTrue,
          Function.AnyTrue,
          Function.HasValue,
          Function.Is,
          Function.StartsWith,
          Function.EndsWith,
          Function.Matches,
          Function.MatchesFull,
          Function.Contains,
          Function.ConvertsToBoolean,
          Function.ConvertsToInteger,
          Function.ConvertsToString,
          Function.ConvertsToDecimal,
          Function.ConvertsToQuantity,
          Function.ConvertsToDateTime,
          Function.ConvertsToDate,
          Function.ConvertsToTime);
  private static final Set<Function> STRING_RESULT =
      EnumSet.of(
          Function.Upper,
          Function.Lower,
          Function.Substring,
          Function.Replace,
          Function.ReplaceMatches,
          Function.Trim,
          Function.Encode,
          Function.Decode,
          Function.Escape,
          Function.Unescape,
          Function.ToString,
          Function.Join);
  private static final Set<Function> SAME_TYPE_MANY =
      EnumSet.of(
          Function.Distinct,
          Function.Where,
          Function.Tail,
          Function.Skip,
          Function.Take,
          Function.Sort,
          Function.Union,
          Function.Combine,
          Function.Intersect,
          Function.Exclude);
  private static final Set<Function> SAME_TYPE_SINGLE =
      EnumSet.of(
          Function.Single,
          Function.First,
          Function.Last,
          Function.Item,
          Function.LowBoundary,
          Function.HighBoundary,
          Function.Abs);

  /** Functions whose parameters are evaluated once per item of the focus, with $this the item. */
  private static final Set<Function> ITERATING =
      EnumSet.of(
          Function.Where,
          Function.Select,
          Function.All,
          Function.Exists,
          Function.Repeat,
          Function.Aggregate);

  private final PathChecker paths;

  FunctionChecker(PathChecker paths) {
    this.paths = paths;
  }

  /**
   * Parameters of where(), select(), all(), ... are evaluated on each item of the focus; those of
   * other functions (combine, iif, substring, ...) on {@code $this}, the item the whole expression
   * started from, as the engine does.
   */
  PathType check(ExpressionNode exp, PathType focus, PathType thisType) {
    Function f = exp.getFunction();
    String refused = REFUSED.get(f);
    if (refused != null) {
      throw new PathProblem(
          "function " + exp.getName() + "() is not supported in views: " + refused);
    }
    PathType item = focus.withMany(false);
    if (f == Function.OfType || f == Function.As) {
      return ofType(exp, focus);
    }
    if (f == Function.Custom) {
      return custom(exp, focus);
    }
    List<PathType> params = new ArrayList<>();
    for (ExpressionNode p : exp.getParameters()) {
      params.add(
          f == Function.Is
              ? paths.knownType(PathChecker.typeName(p), true)
              : ITERATING.contains(f)
                  ? paths.node(p, item, item, true)
                  : paths.node(p, thisType, thisType, true));
    }
    if (BOOLEAN_RESULT.contains(f)) {
      return paths.primitive("boolean", false);
    }
    if (STRING_RESULT.contains(f)) {
      return paths.primitive("string", false);
    }
    if (SAME_TYPE_MANY.contains(f)) {
      return focus;
    }
    if (SAME_TYPE_SINGLE.contains(f)) {
      return item;
    }
    return switch (f) {
      case Count, Length, IndexOf, Precision, ToInteger, Ceiling, Floor, Truncate ->
          paths.primitive("integer", false);
      case Round, Sqrt, Exp, Ln, Log, Power, ToDecimal -> paths.primitive("decimal", false);
      case ToBoolean -> paths.primitive("boolean", false);
      case ToDateTime -> paths.primitive("dateTime", false);
      case ToTime -> paths.primitive("time", false);
      case ToQuantity -> PathType.of(paths.candidate("Quantity"), false);
      case ToChars, Split -> paths.primitive("string", true);
      case Extension -> PathType.of(paths.candidate("Extension"), true);
      case Select, Repeat -> params.isEmpty() ? PathType.UNKNOWN : params.get(0).withMany(true);
      case Iif -> params.size() > 1 ? params.get(1) : PathType.UNKNOWN;
      default -> PathType.UNKNOWN;
    };
  }

  private PathType custom(ExpressionNode exp, PathType focus) {
    String name = exp.getName();
    if (name.equals(ViewHostServices.RESOURCE_KEY)) {
      for (Candidate c : focus.candidates()) {
        if (!FhirTypes.isResourceType(paths.context(), c.name())) {
          throw new PathProblem("getResourceKey() applies to a resource, not to " + c.name());
        }
      }
      return paths.primitive("string", false);
    }
    for (Candidate c : focus.candidates()) {
      if (!c.name().equals("Reference")) {
        throw new PathProblem("getReferenceKey() applies to a Reference, not to " + c.name());
      }
    }
    if (!exp.getParameters().isEmpty()) {
      String type = PathChecker.typeName(exp.getParameters().get(0));
      if (!FhirTypes.isResourceType(paths.context(), type)) {
        throw new PathProblem(
            "getReferenceKey(" + type + "): '" + type + "' is not an R4 resource type");
      }
    }
    return paths.primitive("string", focus.many());
  }

  private PathType ofType(ExpressionNode exp, PathType focus) {
    if (exp.getParameters().size() != 1) {
      throw new PathProblem(exp.getName() + "() takes one type name");
    }
    String type = PathChecker.typeName(exp.getParameters().get(0));
    PathType target = paths.knownType(type, focus.many());
    if (focus.unknown() || target.unknown()) {
      return target;
    }
    String wanted = target.singleName();
    boolean possible =
        focus.candidates().stream()
            .anyMatch(
                c ->
                    c.name().equals(wanted)
                        || isAbstract(wanted)
                        || isAbstract(c.name())
                        || specialises(c.name(), wanted)
                        || specialises(wanted, c.name()));
    if (!possible) {
      throw new PathProblem(
          exp.getName() + "(" + type + ") never matches: the element is " + focus.describe());
    }
    return target;
  }

  static boolean isAbstract(String type) {
    return Set.of("Resource", "DomainResource", "Element", "BackboneElement").contains(type);
  }

  /** Whether {@code type} is {@code ancestor} or specialises it (oid is a uri, Age a Quantity). */
  private boolean specialises(String type, String ancestor) {
    var sd = paths.types().definition(type);
    while (sd != null) {
      if (sd.getType().equals(ancestor)) {
        return true;
      }
      String base = sd.getBaseDefinition();
      sd =
          base == null ? null : paths.types().definition(base.substring(base.lastIndexOf('/') + 1));
    }
    return false;
  }
}
