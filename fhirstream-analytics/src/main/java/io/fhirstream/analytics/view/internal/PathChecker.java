package io.fhirstream.analytics.view.internal;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition.ChildTypeEnum;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import io.fhirstream.analytics.view.internal.PathType.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Function;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Kind;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Operation;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FHIRConstant;
import org.hl7.fhir.r4.model.Base;

/**
 * Checks a parsed FHIRPath expression against the R4 model before any resource is seen: every
 * element exists on the type it is read from, every function is one a view may use, every {@code
 * %constant} is defined, and {@code ofType()} names a type the element can have. On the way it
 * works out what the expression gives, so that a column's type can be inferred.
 *
 * <p>Where the type cannot be known (after {@code children()}, a contained resource, ...) it stops
 * checking rather than guess: the checker never rejects a path the engine would run correctly.
 */
final class PathChecker {
  private final FhirContext context;
  private final R4TypeDefinitions types;
  private final FunctionChecker functions = new FunctionChecker(this);
  private final Map<String, String> constantTypes;
  private final String resourceType;

  /**
   * @param constantTypes the view's constants, name to FHIR type
   * @param resourceType the resource type the view reads ({@code %resource})
   */
  R4TypeDefinitions types() {
    return types;
  }

  FhirContext context() {
    return context;
  }

  PathChecker(R4TypeDefinitions types, Map<String, String> constantTypes, String resourceType) {
    this.context = types.getFhirContext();
    this.types = types;
    this.constantTypes = constantTypes;
    this.resourceType = resourceType;
  }

  /** A focus of the given FHIR type; the resource type for a view's root. */
  PathType typeOf(String fhirType, boolean many) {
    Candidate c = candidate(fhirType);
    return c == null ? PathType.UNKNOWN : PathType.of(c, many);
  }

  /** Checks {@code expression} evaluated on {@code focus}, and returns what it gives. */
  PathType check(ExpressionNode expression, PathType focus) {
    return node(expression, focus, focus.withMany(false), true);
  }

  PathType node(ExpressionNode exp, PathType focus, PathType thisType, boolean atEntry) {
    PathType work =
        switch (exp.getKind()) {
          case Name -> name(exp.getName(), focus, thisType, atEntry);
          case Function -> functions.check(exp, focus, thisType);
          case Constant -> constant(exp.getConstant(), focus);
          case Group -> node(exp.getGroup(), focus, thisType, atEntry);
          case Unary -> primitive("integer", false);
        };
    if (exp.getInner() != null) {
      work = node(exp.getInner(), work, thisType, false);
    }
    if (exp.isProximal() && exp.getOperation() != null) {
      ExpressionNode last = exp;
      ExpressionNode next = exp.getOpNext();
      while (next != null) {
        PathType right;
        if (last.getOperation() == Operation.Is || last.getOperation() == Operation.As) {
          right = knownType(typeName(next), true);
        } else {
          right = node(next, focus, thisType, true);
        }
        work = operation(last.getOperation(), work, right);
        last = next;
        next = next.getOpNext();
      }
    }
    return work;
  }

  private PathType name(String name, PathType focus, PathType thisType, boolean atEntry) {
    if (atEntry && name.equals("$this")) {
      return thisType;
    }
    if (name.equals("$index")) {
      return primitive("integer", false);
    }
    if (name.equals("$total")) {
      return PathType.UNKNOWN;
    }
    if (focus.unknown()) {
      return PathType.UNKNOWN;
    }
    if (atEntry && Character.isUpperCase(name.charAt(0))) {
      // FHIRPath allows a path to start with the type of its focus: Patient.name.family.
      for (Candidate c : focus.candidates()) {
        if (c.name().equals(name)) {
          return PathType.of(c, focus.many());
        }
      }
      if (FhirTypes.isResourceType(context, name)) {
        throw new PathProblem(
            "'" + name + "' can never match here: the focus is " + focus.describe());
      }
    }
    List<Candidate> found = new ArrayList<>();
    boolean many = focus.many();
    List<String> missing = new ArrayList<>();
    boolean anyUnknown = false;
    for (Candidate c : focus.candidates()) {
      if (!(c.definition() instanceof BaseRuntimeElementCompositeDefinition<?> composite)) {
        if (c.primitive()) {
          if (name.equals("extension")) {
            found.add(candidate("Extension"));
            many = true;
          } else if (name.equals("id")) {
            found.add(candidate("string"));
          } else {
            missing.add(c.name());
          }
        } else {
          anyUnknown = true;
        }
        continue;
      }
      BaseRuntimeChildDefinition child = composite.getChildByName(name);
      if (child == null) {
        child = composite.getChildByName(name + "[x]");
      }
      if (child == null) {
        missing.add(c.name());
        continue;
      }
      if (child instanceof RuntimeChildChoiceDefinition && !name.equals(child.getElementName())) {
        throw new PathProblem(
            "'"
                + name
                + "' is not a FHIRPath name: write "
                + child.getElementName()
                + ".ofType("
                + name.substring(child.getElementName().length())
                + ")");
      }
      if (child.getMax() != 1) {
        many = true;
      }
      List<Candidate> types = childTypes(child);
      if (types == null) {
        anyUnknown = true;
      } else {
        for (Candidate t : types) {
          if (!found.contains(t)) {
            found.add(t);
          }
        }
      }
    }
    if (anyUnknown) {
      return PathType.UNKNOWN;
    }
    if (found.isEmpty()) {
      throw new PathProblem(
          "unknown element '"
              + name
              + "' on "
              + String.join(" or ", missing)
              + (name.startsWith("$") ? "" : ": check the spelling against the FHIR R4 definition"),
          true);
    }
    return new PathType(found, many);
  }

  /** The types a child element can have; {@code null} when HAPI cannot say (contained, ...). */
  private List<Candidate> childTypes(BaseRuntimeChildDefinition child) {
    List<Candidate> out = new ArrayList<>();
    if (child instanceof RuntimeChildChoiceDefinition) {
      for (String n : child.getValidChildNames()) {
        BaseRuntimeElementDefinition<?> def = child.getChildByName(n);
        if (def != null) {
          out.add(candidate(def));
        }
      }
      return out.isEmpty() ? null : out;
    }
    BaseRuntimeElementDefinition<?> def = child.getChildByName(child.getElementName());
    if (def == null
        || def.getChildType() == ChildTypeEnum.CONTAINED_RESOURCE_LIST
        || def.getChildType() == ChildTypeEnum.RESOURCE) {
      return null;
    }
    out.add(candidate(def));
    return out;
  }

  private PathType constant(Base constant, PathType focus) {
    if (constant == null) {
      return PathType.UNKNOWN; // {} (the empty collection)
    }
    if (constant instanceof FHIRConstant fc) {
      String name = fc.getValue().substring(1);
      if (name.startsWith("`") && name.endsWith("`") && name.length() > 1) {
        name = name.substring(1, name.length() - 1);
      }
      if (name.equals(ViewHostServices.ROW_INDEX)) {
        return primitive("integer", false);
      }
      if (name.equals("resource") || name.equals("rootResource") || name.equals("context")) {
        return typeOf(resourceType, false);
      }
      if (name.equals("ucum") || name.equals("sct") || name.equals("loinc")) {
        return primitive("string", false);
      }
      String type = constantTypes.get(name);
      if (type == null) {
        throw new PathProblem(
            "undefined constant %"
                + name
                + ": the view defines "
                + (constantTypes.isEmpty()
                    ? "no constants"
                    : "only %"
                        + String.join(", %", new java.util.TreeSet<>(constantTypes.keySet())))
                + "; add it to the view's constant list");
      }
      return primitive(type, false);
    }
    return typeOf(constant.fhirType(), false);
  }

  private PathType operation(Operation op, PathType left, PathType right) {
    return switch (op) {
      case MemberOf ->
          throw new PathProblem(
              "'memberOf' is not supported in views: views cannot" + " reach a terminology server");
      case Equals,
          Equivalent,
          NotEquals,
          NotEquivalent,
          LessThan,
          Greater,
          LessOrEqual,
          GreaterOrEqual,
          Or,
          And,
          Xor,
          Implies,
          In,
          Contains,
          Is ->
          primitive("boolean", false);
      case As -> right.withMany(left.many());
      case Union ->
          left.singleName() != null && left.singleName().equals(right.singleName())
              ? left.withMany(true)
              : PathType.UNKNOWN;
      case Concatenate -> primitive("string", false);
      case Plus, Minus -> {
        if (isString(left) && op == Operation.Plus) {
          yield primitive("string", false);
        }
        if (isTemporal(left)) {
          yield left.withMany(false);
        }
        yield numeric(left, right, false);
      }
      case Times, Div, Mod -> numeric(left, right, false);
      case DivideBy -> numeric(left, right, true);
    };
  }

  private PathType numeric(PathType left, PathType right, boolean divide) {
    String l = left.singleName();
    String r = right.singleName();
    if (l == null || r == null) {
      return PathType.UNKNOWN;
    }
    if (l.equals("Quantity") || r.equals("Quantity")) {
      return PathType.of(candidate("Quantity"), false);
    }
    boolean integers = isInteger(l) && isInteger(r) && !divide;
    return primitive(integers ? "integer" : "decimal", false);
  }

  private static boolean isInteger(String type) {
    return type.equals("integer") || type.equals("positiveInt") || type.equals("unsignedInt");
  }

  private static boolean isString(PathType t) {
    String n = t.singleName();
    return n != null
        && Set.of("string", "code", "id", "markdown", "uri", "url", "canonical", "oid", "uuid")
            .contains(n);
  }

  private static boolean isTemporal(PathType t) {
    String n = t.singleName();
    return n != null && Set.of("date", "dateTime", "instant", "time").contains(n);
  }

  /**
   * The type a type-name node names: {@code Quantity}, {@code FHIR.Quantity}, {@code
   * System.String}.
   */
  static String typeName(ExpressionNode node) {
    String name = node.getName();
    if (node.getKind() != Kind.Name || name == null) {
      throw new PathProblem("expected a type name");
    }
    if (node.getInner() != null) {
      name = name + "." + node.getInner().getName();
    }
    if (name.startsWith("FHIR.")) {
      return name.substring(5);
    }
    return name;
  }

  PathType knownType(String type, boolean many) {
    if (type.startsWith("System.")) {
      String system =
          switch (type.substring(7)) {
            case "String" -> "string";
            case "Boolean" -> "boolean";
            case "Integer" -> "integer";
            case "Decimal" -> "decimal";
            case "Date" -> "date";
            case "DateTime" -> "dateTime";
            case "Time" -> "time";
            case "Quantity" -> "Quantity";
            default -> throw new PathProblem("unknown type " + type);
          };
      return primitive(system, many);
    }
    if (FunctionChecker.isAbstract(type)) {
      return PathType.UNKNOWN;
    }
    Candidate c = candidate(type);
    if (c == null) {
      throw new PathProblem(
          "unknown type '"
              + type
              + "': not an R4 data type or resource type"
              + " (type names are case-sensitive: string, dateTime, Quantity, Patient)");
    }
    return PathType.of(c, many);
  }

  PathType primitive(String type, boolean many) {
    return PathType.of(candidate(type), many);
  }

  Candidate candidate(String type) {
    if (FhirTypes.isResourceType(context, type)) {
      return new Candidate(type, context.getResourceDefinition(type));
    }
    BaseRuntimeElementDefinition<?> def = FhirTypes.elementDefinition(context, type);
    return def == null ? null : new Candidate(type, def);
  }

  private static Candidate candidate(BaseRuntimeElementDefinition<?> def) {
    String name =
        def.getChildType() == ChildTypeEnum.RESOURCE_BLOCK ? "BackboneElement" : def.getName();
    return new Candidate(name, def);
  }
}
