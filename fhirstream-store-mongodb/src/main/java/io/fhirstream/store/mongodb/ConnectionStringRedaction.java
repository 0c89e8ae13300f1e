package io.fhirstream.store.mongodb;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Removes the secret parts of a connection string from a text before it goes into a message: the
 * whole string, its user information (user name and password, raw and percent-decoded) and the
 * values of options that carry credentials (e.g. an AWS session token in authMechanismProperties).
 * Works on malformed strings too, which is when a driver message is most likely to quote them.
 */
final class ConnectionStringRedaction {
  private static final String HIDDEN = "[hidden]";
  private static final List<String> SECRET_OPTIONS =
      List.of(
          "authmechanismproperties",
          "tlscertificatekeyfilepassword",
          "sslclientcertificatekeypassword",
          "password");

  private final List<String> secrets;

  private ConnectionStringRedaction(List<String> secrets) {
    this.secrets = secrets;
  }

  /** The secrets of {@code connectionString}. */
  static ConnectionStringRedaction of(String connectionString) {
    List<String> secrets = new ArrayList<>();
    String text = connectionString == null ? "" : connectionString;
    add(secrets, text);
    add(secrets, text.trim());
    int scheme = text.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = text.length();
    for (char terminator : new char[] {'/', '?'}) {
      int at = text.indexOf(terminator, start);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    int at = text.lastIndexOf('@', end - 1);
    if (at >= start) {
      String userInfo = text.substring(start, at);
      add(secrets, userInfo);
      int colon = userInfo.indexOf(':');
      if (colon >= 0) {
        addRawAndDecoded(secrets, userInfo.substring(0, colon));
        addRawAndDecoded(secrets, userInfo.substring(colon + 1));
      }
      add(secrets, decode(userInfo));
    }
    int query = text.indexOf('?');
    if (query >= 0) {
      for (String option : text.substring(query + 1).split("[&;]")) {
        int equals = option.indexOf('=');
        if (equals > 0
            && SECRET_OPTIONS.stream()
                .anyMatch(option.substring(0, equals).toLowerCase(Locale.ROOT)::contains)) {
          String value = option.substring(equals + 1);
          addRawAndDecoded(secrets, value);
          // authMechanismProperties=KEY:value,KEY:value
          for (String property : decode(value).split(",")) {
            add(secrets, property.substring(property.indexOf(':') + 1));
          }
          for (String property : value.split(",")) {
            add(secrets, property.substring(property.indexOf(':') + 1));
          }
        }
      }
    }
    // Longest first, so a password inside the user information is not replaced piecemeal.
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    return new ConnectionStringRedaction(secrets);
  }

  /** {@code message} with every secret replaced by {@code [hidden]}; never null. */
  String apply(String message) {
    if (message == null) {
      return "";
    }
    String out = message;
    for (String secret : secrets) {
      out = out.replace(secret, HIDDEN);
    }
    return out;
  }

  private static void addRawAndDecoded(List<String> secrets, String secret) {
    add(secrets, secret);
    add(secrets, decode(secret));
  }

  private static void add(List<String> secrets, String secret) {
    if (secret != null && !secret.isEmpty() && !secrets.contains(secret)) {
      secrets.add(secret);
    }
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }
}
