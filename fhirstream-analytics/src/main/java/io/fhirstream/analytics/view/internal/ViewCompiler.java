package io.fhirstream.analytics.view.internal;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import io.fhirstream.analytics.view.ViewColumn;
import io.fhirstream.analytics.view.ViewDefinition;
import io.fhirstream.analytics.view.ViewDefinitionException;
import io.fhirstream.analytics.view.internal.PathType.Candidate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.PrimitiveType;

/**
 * Compiles a {@link ViewDefinition} into a {@link ViewPlan}: parses every FHIRPath expression once,
 * checks it against the R4 model with {@link PathChecker}, turns constants into FHIR values and
 * works out each column's type. Any problem is a {@link ViewDefinitionException} naming the view,
 * the element and the problem.
 */
public final class ViewCompiler {
  /** Names FHIRPath or SQL on FHIR already give a meaning after {@code %}. */
  private static final Set<String> RESERVED_CONSTANTS =
      Set.of("rowIndex", "resource", "rootResource", "context", "ucum", "sct", "loinc");

  private static final String STRUCTURE_DEFINITION = "http://hl7.org/fhir/StructureDefinition/";

  private final FhirPathSupport fhirPath;
  private final FhirContext context;

  public ViewCompiler(FhirPathSupport fhirPath) {
    this.fhirPath = fhirPath;
    this.context = fhirPath.context();
  }

  public ViewPlan compile(ViewDefinition view) {
    return new Run(view).compile();
  }

  /** One compilation, holding the view for error messages. */
  private final class Run {
    private final ViewDefinition view;
    private final List<ViewColumn> columns = new ArrayList<>();
    private PathChecker checker;
    private boolean readsNarrative;

    Run(ViewDefinition view) {
      this.view = view;
    }

    ViewPlan compile() {
      String resource = view.resource();
      if (!FhirTypes.isResourceType(context, resource)) {
        throw fail(
            "resource", "'" + resource + "' is not a FHIR R4 resource type" + suggestion(resource));
      }
      Map<String, List<Base>> constants = new HashMap<>();
      Map<String, String> constantTypes = new HashMap<>();
      for (ViewDefinition.Constant c : view.constants()) {
        if (RESERVED_CONSTANTS.contains(c.name())) {
          throw fail(
              c.element() + ".name",
              "'%"
                  + c.name()
                  + "' already means something in"
                  + " FHIRPath or SQL on FHIR: choose another name");
        }
        constants.put(c.name(), List.of(constantValue(c)));
        constantTypes.put(c.name(), c.fhirType());
      }
      checker = new PathChecker(fhirPath.types(), constantTypes, resource);
      PathType root = checker.typeOf(resource, false);
      List<ExpressionNode> where = new ArrayList<>();
      List<String> whereElements = new ArrayList<>();
      for (ViewDefinition.Where w : view.where()) {
        String at = w.element() + ".path";
        ExpressionNode node = parse(w.path(), at);
        PathType type = check(node, root, at);
        String name = type.singleName();
        if (name != null && !name.equals("boolean")) {
          throw fail(
              at,
              "'"
                  + w.path()
                  + "' gives "
                  + name
                  + ", but a where path must give a"
                  + " boolean (e.g. add .exists())");
        }
        where.add(node);
        whereElements.add(at);
      }
      List<SelectPlan> selects = new ArrayList<>();
      for (ViewDefinition.Select s : view.select()) {
        selects.add(select(s, root));
      }
      return new ViewPlan(
          fhirPath,
          view.label(),
          columns,
          constants,
          where,
          whereElements,
          selects,
          readsNarrative);
    }

    private SelectPlan select(ViewDefinition.Select s, PathType focus) {
      SelectPlan.Iteration iteration = SelectPlan.Iteration.NONE;
      List<ExpressionNode> iterate = new ArrayList<>();
      PathType itemType = focus;
      if (s.forEach() != null || s.forEachOrNull() != null) {
        boolean orNull = s.forEachOrNull() != null;
        String at = s.element() + (orNull ? ".forEachOrNull" : ".forEach");
        ExpressionNode node = parse(orNull ? s.forEachOrNull() : s.forEach(), at);
        itemType = check(node, focus, at).withMany(false);
        iterate.add(node);
        iteration = orNull ? SelectPlan.Iteration.FOR_EACH_OR_NULL : SelectPlan.Iteration.FOR_EACH;
      } else if (!s.repeat().isEmpty()) {
        for (int i = 0; i < s.repeat().size(); i++) {
          iterate.add(parse(s.repeat().get(i), s.element() + ".repeat[" + i + "]"));
        }
        itemType = repeatType(s, iterate, focus);
        iteration = SelectPlan.Iteration.REPEAT;
      }
      List<ColumnPlan> columnPlans = new ArrayList<>();
      for (ViewDefinition.Column c : s.columns()) {
        columnPlans.add(column(c, itemType));
      }
      List<SelectPlan> nested = new ArrayList<>();
      for (ViewDefinition.Select n : s.selects()) {
        nested.add(select(n, itemType));
      }
      List<SelectPlan> union = new ArrayList<>();
      int columnsBefore = columns.size();
      for (ViewDefinition.Select u : s.unionAll()) {
        // Every branch declares the same columns; the view lists them once, from the first.
        int mark = columns.size();
        union.add(select(u, itemType));
        if (union.size() > 1) {
          mergeBranchColumns(columnsBefore, mark);
        }
      }
      return new SelectPlan(s.element(), iteration, iterate, columnPlans, nested, union);
    }

    /**
     * Keeps the first unionAll branch's columns; a later branch's type replaces the first's only
     * when the first could not tell it.
     */
    private void mergeBranchColumns(int firstStart, int laterStart) {
      int n = laterStart - firstStart;
      for (int i = 0; i < n; i++) {
        ViewColumn first = columns.get(firstStart + i);
        ViewColumn later = columns.get(laterStart + i);
        String type = first.fhirType() != null ? first.fhirType() : later.fhirType();
        if (first.fhirType() != null
            && later.fhirType() != null
            && !first.fhirType().equals(later.fhirType())) {
          type = null;
        }
        columns.set(firstStart + i, new ViewColumn(first.name(), type, first.collection()));
      }
      columns.subList(laterStart, columns.size()).clear();
    }

    /** The types repeat reaches: its paths followed from the focus until no new type appears. */
    private PathType repeatType(
        ViewDefinition.Select s, List<ExpressionNode> paths, PathType focus) {
      Set<Candidate> reached = new LinkedHashSet<>();
      List<PathType> frontier = new ArrayList<>(List.of(focus));
      for (int round = 0; round < 20 && !frontier.isEmpty(); round++) {
        List<PathType> next = new ArrayList<>();
        for (PathType from : frontier) {
          for (int i = 0; i < paths.size(); i++) {
            PathType to;
            try {
              to = checker.check(paths.get(i), from);
            } catch (PathProblem p) {
              if (!p.unknownElement()) {
                throw fail(s.element() + ".repeat[" + i + "]", p.getMessage());
              }
              continue;
            }
            if (to.unknown()) {
              return PathType.UNKNOWN;
            }
            for (Candidate c : to.candidates()) {
              if (reached.add(c)) {
                next.add(PathType.of(c, false));
              }
            }
          }
        }
        frontier = next;
      }
      // A repeat path is followed from every item it reaches, so one that fits none of them only
      // adds nothing (the specification's suite has such a case); other problems were thrown above.
      return reached.isEmpty() ? PathType.UNKNOWN : new PathType(List.copyOf(reached), false);
    }

    private ColumnPlan column(ViewDefinition.Column c, PathType focus) {
      String at = c.element() + ".path";
      ExpressionNode node = parse(c.path(), at);
      PathType type = check(node, focus, at);
      String fhirType = c.type();
      if (fhirType != null && fhirType.startsWith(STRUCTURE_DEFINITION)) {
        // The specification gives a type as a StructureDefinition URL or its tail.
        fhirType = fhirType.substring(STRUCTURE_DEFINITION.length());
      }
      if (fhirType != null) {
        if (!FhirTypes.PRIMITIVES.contains(fhirType)) {
          throw fail(
              c.element() + ".type",
              "'"
                  + fhirType
                  + "' is not a FHIR R4 primitive type;"
                  + " a column holds one of "
                  + new java.util.TreeSet<>(FhirTypes.PRIMITIVES));
        }
      } else if (!type.unknown()) {
        if (type.candidates().stream().noneMatch(Candidate::primitive)) {
          throw fail(
              at,
              "'"
                  + c.path()
                  + "' gives "
                  + type.describe()
                  + ", a complex type; a"
                  + " column holds primitive values: select an element of it");
        }
        String single = type.singleName();
        fhirType = single != null && FhirTypes.PRIMITIVES.contains(single) ? single : null;
      }
      columns.add(new ViewColumn(c.name(), fhirType, c.collection()));
      return new ColumnPlan(c.element(), node, c.collection());
    }

    private Base constantValue(ViewDefinition.Constant c) {
      String at =
          c.element()
              + ".value"
              + Character.toUpperCase(c.fhirType().charAt(0))
              + c.fhirType().substring(1);
      BaseRuntimeElementDefinition<?> def = FhirTypes.elementDefinition(context, c.fhirType());
      try {
        PrimitiveType<?> value = (PrimitiveType<?>) def.newInstance();
        value.setValueAsString(c.value());
        return value;
      } catch (RuntimeException e) {
        throw fail(at, "'" + c.value() + "' is not a valid " + c.fhirType());
      }
    }

    private ExpressionNode parse(String expression, String at) {
      ExpressionNode node = parseOnly(expression, at);
      readsNarrative |= Narrative.mayRead(node);
      return node;
    }

    private ExpressionNode parseOnly(String expression, String at) {
      try {
        return fhirPath.parse(expression);
      } catch (RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("is not a valid function name")) {
          String name = message.replaceAll(".*The name (\\S+) is not a valid function.*", "$1");
          throw fail(
              at,
              "unsupported function "
                  + name
                  + "() in '"
                  + expression
                  + "': views support the FHIRPath functions of the SQL on FHIR specification and"
                  + " FHIRPath's other functions except resolve(), memberOf(), conformsTo(),"
                  + " trace(), now() and today()");
        }
        throw fail(at, "'" + expression + "' is not a valid FHIRPath expression: " + message);
      }
    }

    private PathType check(ExpressionNode node, PathType focus, String at) {
      try {
        return checker.check(node, focus);
      } catch (PathProblem p) {
        throw fail(at, p.getMessage());
      }
    }

    private String suggestion(String resource) {
      for (String known : FhirTypes.resourceTypes(context)) {
        if (known.equalsIgnoreCase(resource)) {
          return " (did you mean '" + known + "'? Type names are case-sensitive)";
        }
      }
      return "";
    }

    private ViewDefinitionException fail(String element, String problem) {
      return new ViewDefinitionException(view.label(), element, problem);
    }
  }
}
