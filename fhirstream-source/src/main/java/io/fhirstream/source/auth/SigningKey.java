package io.fhirstream.source.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.fhirstream.api.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Optional;

/**
 * The private key that signs SMART client assertions, its algorithm and key id. Its {@code
 * toString} shows neither key material nor the file's content.
 *
 * @param key an RSA or EC private key
 * @param algorithm RS384 or ES384
 * @param keyId the {@code kid} header, or empty
 */
public record SigningKey(PrivateKey key, JWSAlgorithm algorithm, Optional<String> keyId) {
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";

  @Override
  public String toString() {
    return "SigningKey[" + algorithm + ", kid=" + keyId.orElse("(none)") + "]";
  }

  /**
   * Reads a PKCS#8 PEM or a JWK file.
   *
   * @param algorithm {@code auto}, {@code RS384} or {@code ES384}
   * @param keyId a configured kid, overriding the JWK's
   * @param configKey the key naming the file, for error messages
   * @throws ConfigException when the file is unreadable, not a private key, or does not fit the
   *     algorithm; never quoting the file's content
   */
  static SigningKey load(Path file, String algorithm, Optional<String> keyId, String configKey) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new ConfigException(
          configKey,
          "cannot read "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "); check the path and that fhirstream may read it");
    }
    PrivateKey key;
    Optional<String> kid = keyId;
    if (text.startsWith("{")) {
      JWK jwk = parseJwk(text, file, configKey);
      key = privateKey(jwk, file, configKey);
      if (kid.isEmpty()) {
        kid = Optional.ofNullable(jwk.getKeyID());
      }
    } else if (text.startsWith(PKCS8_BEGIN) && text.endsWith(PKCS8_END)) {
      key = parsePkcs8(text, file, configKey);
    } else {
      throw new ConfigException(
          configKey,
          file
              + " is neither a JWK nor an unencrypted PKCS#8 PEM private key (BEGIN PRIVATE KEY);"
              + " convert a 'BEGIN RSA/EC PRIVATE KEY' file with: openssl pkcs8 -topk8 -nocrypt"
              + " -in key.pem -out key.p8.pem");
    }
    return new SigningKey(key, algorithm(key, algorithm, file, configKey), kid);
  }

  private static JWK parseJwk(String text, Path file, String configKey) {
    try {
      return JWK.parse(text);
    } catch (ParseException e) {
      throw new ConfigException(configKey, file + " is not a valid JWK (JSON Web Key)");
    }
  }

  private static PrivateKey privateKey(JWK jwk, Path file, String configKey) {
    if (!jwk.isPrivate()) {
      throw new ConfigException(
          configKey, file + " holds a public JWK; point it at the private key (with \"d\")");
    }
    try {
      if (jwk instanceof RSAKey rsa) {
        return rsa.toPrivateKey();
      }
      if (jwk instanceof ECKey ec) {
        return ec.toPrivateKey();
      }
    } catch (JOSEException e) {
      throw new ConfigException(configKey, file + " holds a JWK that is not a usable private key");
    }
    throw new ConfigException(
        configKey, file + " holds a " + jwk.getKeyType() + " JWK; use an RSA or EC P-384 key");
  }

  private static PrivateKey parsePkcs8(String text, Path file, String configKey) {
    byte[] der;
    try {
      String body = text.substring(PKCS8_BEGIN.length(), text.length() - PKCS8_END.length());
      der = Base64.getMimeDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(configKey, file + " is not valid PEM (bad base64)");
    }
    for (String type : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next key type
      }
    }
    throw new ConfigException(
        configKey,
        file + " holds a PKCS#8 key that is neither RSA nor EC; use an RSA or P-384 key");
  }

  private static JWSAlgorithm algorithm(
      PrivateKey key, String configured, Path file, String configKey) {
    JWSAlgorithm fits;
    if (key instanceof RSAPrivateKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw new ConfigException(
            configKey, file + " holds an RSA key shorter than 2048 bits; make a 2048+ bit key");
      }
      fits = JWSAlgorithm.RS384;
    } else if (key instanceof ECPrivateKey ec) {
      if (!Curve.P_384.equals(Curve.forECParameterSpec(ec.getParams()))) {
        throw new ConfigException(
            configKey,
            file + " holds an EC key that is not on P-384, which ES384 needs; make a P-384 key");
      }
      fits = JWSAlgorithm.ES384;
    } else {
      throw new ConfigException(configKey, file + " holds neither an RSA nor an EC key");
    }
    if (!configured.equals("auto") && !configured.equals(fits.getName())) {
      throw new ConfigException(
          AuthConfig.SIGNING_ALGORITHM,
          "is " + configured + ", but the key in " + file + " signs " + fits + "; set it to auto");
    }
    return fits;
  }
}
