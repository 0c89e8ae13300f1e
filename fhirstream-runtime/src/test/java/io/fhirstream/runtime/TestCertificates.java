package io.fhirstream.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-signed certificate for 127.0.0.1, made by the JDK's keytool at test time (no key material
 * is committed): a PKCS12 key store for the broker and the certificate as PEM, which Kafka clients
 * take as a trust store ({@code ssl.truststore.type=PEM}).
 *
 * @param keyStore the broker's PKCS12 key store
 * @param password its password
 * @param trustedPem the certificate, for clients' trust stores
 */
record TestCertificates(Path keyStore, String password, Path trustedPem) {

  static TestCertificates create(Path dir, String password)
      throws IOException, InterruptedException {
    Path keyStore = dir.resolve("broker.p12");
    Path pem = dir.resolve("broker-cert.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        password,
        "-keypass",
        password);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "broker",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        password,
        "-file",
        pem.toString());
    return new TestCertificates(keyStore, password, pem);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
    }
  }
}
