package io.fhirstream.functions.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.EventHubOutput;
import com.microsoft.azure.functions.annotation.EventHubTrigger;
import com.microsoft.azure.functions.annotation.ExponentialBackoffRetry;
import com.microsoft.azure.functions.annotation.FixedDelayRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lays out the Function App folder the way the Functions host reads it: the app's jar, {@code
 * host.json}, and for each method annotated {@code @FunctionName} a folder with its {@code
 * function.json} (entry point, bindings, retry policy), generated from the Java annotations as
 * Microsoft's Maven plugin does, so the code is the one place a binding is declared. Run by the
 * build at {@code package}; {@code lib/} is filled by the dependency plugin beside it.
 *
 * <p>Knows the bindings fhirstream's functions use (Event Hubs trigger and output, timer trigger,
 * {@code @BindingName} trigger metadata, retry policies); any other binding annotation stops the
 * build, naming it, rather than being left out of {@code function.json}.
 */
public final class FunctionLayout {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Binding annotation → its function.json type and direction. */
  private static final Map<Class<? extends Annotation>, String[]> BINDINGS =
      Map.of(
          EventHubTrigger.class, new String[] {"eventHubTrigger", "in"},
          EventHubOutput.class, new String[] {"eventHub", "out"},
          TimerTrigger.class, new String[] {"timerTrigger", "in"});

  private FunctionLayout() {}

  /**
   * @param args the compiled classes directory, the app's jar, the folder holding host.json, the
   *     Function App folder to write
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: FunctionLayout <classes-dir> <app-jar> <host-json-dir> <function-app-dir>");
    }
    Path classes = Path.of(args[0]);
    Path jar = Path.of(args[1]);
    Path app = Path.of(args[3]);
    Files.createDirectories(app);
    Files.copy(jar, app.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        Path.of(args[2], "host.json"),
        app.resolve("host.json"),
        StandardCopyOption.REPLACE_EXISTING);
    for (Method function : functions(classes)) {
      String name = function.getAnnotation(FunctionName.class).value();
      Path folder = Files.createDirectories(app.resolve(name));
      Files.write(
          folder.resolve("function.json"),
          JSON.writeValueAsBytes(functionJson(function, jar.getFileName().toString())));
    }
  }

  /** The function.json of one function method. */
  static ObjectNode functionJson(Method function, String jarName) {
    ObjectNode json = JSON.createObjectNode();
    json.put("scriptFile", "../" + jarName);
    json.put("entryPoint", function.getDeclaringClass().getName() + "." + function.getName());
    ArrayNode bindings = json.putArray("bindings");
    for (Parameter parameter : function.getParameters()) {
      for (Annotation annotation : parameter.getAnnotations()) {
        if (!(annotation instanceof BindingName)) { // trigger metadata, no binding of its own
          bindings.add(binding(annotation, function));
        }
      }
    }
    ExponentialBackoffRetry backoff = function.getAnnotation(ExponentialBackoffRetry.class);
    FixedDelayRetry fixed = function.getAnnotation(FixedDelayRetry.class);
    if (backoff != null) {
      json.putObject("retry")
          .put("strategy", "exponentialBackoff")
          .put("maxRetryCount", backoff.maxRetryCount())
          .put("minimumInterval", backoff.minimumInterval())
          .put("maximumInterval", backoff.maximumInterval());
    } else if (fixed != null) {
      json.putObject("retry")
          .put("strategy", "fixedDelay")
          .put("maxRetryCount", fixed.maxRetryCount())
          .put("delayInterval", fixed.delayInterval());
    }
    return json;
  }

  private static ObjectNode binding(Annotation annotation, Method function) {
    String[] kind = BINDINGS.get(annotation.annotationType());
    if (kind == null) {
      throw new IllegalStateException(
          function
              + " has a binding FunctionLayout does not know ("
              + annotation.annotationType().getSimpleName()
              + "); teach FunctionLayout.BINDINGS its function.json type and direction");
    }
    ObjectNode binding = JSON.createObjectNode();
    binding.put("type", kind[0]);
    binding.put("direction", kind[1]);
    Method[] attributes = annotation.annotationType().getDeclaredMethods();
    java.util.Arrays.sort(attributes, java.util.Comparator.comparing(Method::getName));
    for (Method attribute : attributes) {
      Object value = attribute(annotation, attribute);
      if (value instanceof Enum<?> constant) {
        binding.put(attribute.getName(), constant.name().toLowerCase(Locale.ROOT));
      } else if (value instanceof Boolean flag) {
        binding.put(attribute.getName(), flag);
      } else if (value != null && !value.toString().isEmpty()) {
        binding.put(attribute.getName(), value.toString());
      }
    }
    return binding;
  }

  private static Object attribute(Annotation annotation, Method attribute) {
    try {
      return attribute.invoke(annotation);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + attribute, e);
    }
  }

  /** Every public method annotated {@code @FunctionName} in the compiled classes. */
  static List<Method> functions(Path classes) throws IOException {
    List<Method> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
        String name =
            classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
        Class<?> type = load(name.substring(0, name.length() - ".class".length()));
        if (type == null) {
          continue;
        }
        for (Method method : type.getMethods()) {
          if (method.isAnnotationPresent(FunctionName.class)) {
            found.add(method);
          }
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return found;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, FunctionLayout.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null; // package-info and the like
    }
  }
}
