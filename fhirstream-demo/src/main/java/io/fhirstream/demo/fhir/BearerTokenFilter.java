package io.fhirstream.demo.fhir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request through only with a valid bearer token (Nimbus' JWT processor against the issuer's
 * remote JWK set: signature, issuer, audience, expiry), else answers 401 with a {@code
 * WWW-Authenticate} challenge and an OperationOutcome. The SMART configuration document stays
 * public, as discovery needs it. Tokens are never logged.
 */
final class BearerTokenFilter implements Filter {
  private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);

  /** Tolerated clock difference; small, so tests of short-lived tokens stay short. */
  private static final int MAX_CLOCK_SKEW_SECONDS = 2;

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final AtomicReference<Instant> revokedBefore = new AtomicReference<>(Instant.MIN);
  private final AtomicLong refused = new AtomicLong();

  BearerTokenFilter(TokenRequirements requirements) {
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.create(requirements.jwksUrl().toURL()).retrying(true).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("jwksUrl is not a URL: " + requirements.jwksUrl(), e);
    }
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.ES256, JWSAlgorithm.ES384),
            keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            requirements.audience(),
            new JWTClaimsSet.Builder().issuer(requirements.issuer()).build(),
            Set.of("exp", "iat"));
    claims.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
    processor.setJWTClaimsSetVerifier(claims);
  }

  /** Refuses tokens issued before {@code instant} from now on, as a server revoking sessions. */
  void revokeTokensIssuedBefore(Instant instant) {
    revokedBefore.set(instant);
  }

  /** How many requests were refused so far. */
  long refused() {
    return refused.get();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String path = request.getRequestURI();
    if (path.endsWith("/.well-known/smart-configuration")) {
      chain.doFilter(req, res);
      return;
    }
    String problem = problem(request.getHeader("Authorization"));
    if (problem == null) {
      chain.doFilter(req, res);
      return;
    }
    refused.incrementAndGet();
    log.debug("Refused {} {}: {}", request.getMethod(), path, problem);
    byte[] body =
        ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                + "\"code\":\"login\",\"diagnostics\":\""
                + problem
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    response.setStatus(401);
    response.setHeader(
        "WWW-Authenticate",
        "Bearer error=\"invalid_token\", error_description=\"" + problem + "\"");
    response.setContentType("application/fhir+json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** Why the header is not acceptable, in words safe to log and return; null when it is. */
  private String problem(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "a bearer token is required";
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(header.substring(7).trim(), null);
    } catch (java.text.ParseException e) {
      return "the token is not a JWT";
    } catch (BadJOSEException e) {
      return "the token is not valid: " + e.getMessage().replaceAll("[\"\\\\]", "'");
    } catch (com.nimbusds.jose.JOSEException e) {
      return "the token could not be verified";
    }
    Instant issued = claims.getIssueTime().toInstant();
    if (issued.isBefore(revokedBefore.get())) {
      return "the token has been revoked";
    }
    return null;
  }
}
