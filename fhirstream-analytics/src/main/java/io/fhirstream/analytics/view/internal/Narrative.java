package io.fhirstream.analytics.view.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Function;

/**
 * A resource's narrative ({@code text.div}, XHTML) is most of what the R4 parser spends on a
 * resource that has one: parsing the XHTML costs several times the rest of the resource. Views
 * rarely read it, so the runner leaves it out unless a view it compiled may.
 */
public final class Narrative {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] DIV = "\"div\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Narrative() {}

  /**
   * Whether an expression may read a narrative: it names {@code text} or {@code div}, or walks
   * every child ({@code children()}, {@code descendants()}). Deliberately broad: a false "yes" only
   * costs parse time.
   */
  static boolean mayRead(ExpressionNode node) {
    if (node == null) {
      return false;
    }
    if (node.getKind() == ExpressionNode.Kind.Name
        && ("text".equals(node.getName()) || "div".equals(node.getName()))) {
      return true;
    }
    if (node.getKind() == ExpressionNode.Kind.Function
        && (node.getFunction() == Function.Children
            || node.getFunction() == Function.Descendants)) {
      return true;
    }
    if (node.getParameters() != null) {
      for (ExpressionNode p : node.getParameters()) {
        if (mayRead(p)) {
          return true;
        }
      }
    }
    return mayRead(node.getInner()) || mayRead(node.getGroup()) || mayRead(node.getOpNext());
  }

  /**
   * The resource JSON without its top-level {@code text} element, or the same array when it has no
   * narrative. Every other token is copied exactly (decimals keep their digits).
   */
  public static byte[] withoutNarrative(byte[] json) throws IOException {
    if (!contains(json, DIV)) {
      return json;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
    try (JsonParser p = JSON.createParser(json);
        JsonGenerator g = JSON.createGenerator(out)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return json; // not a resource; the FHIR parser will say so
      }
      g.writeStartObject();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("text")) {
          p.skipChildren();
          continue;
        }
        g.writeFieldName(name);
        copyValue(p, g);
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void copyValue(JsonParser p, JsonGenerator g) throws IOException {
    int depth = 0;
    do {
      JsonToken t = p.currentToken();
      g.copyCurrentEventExact(p);
      if (t.isStructStart()) {
        depth++;
      } else if (t.isStructEnd()) {
        depth--;
      }
    } while (depth > 0 && p.nextToken() != null);
  }

  private static boolean contains(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
