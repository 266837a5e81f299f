package com.huntaze.ratelimit.localrunner.gateway;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The local API's stand-in for API Gateway's IAM authorization (the template's DefaultAuthorizer AWS_IAM):
 * SigV4 signatures checked against local credentials, or nothing checked (--no-auth, for plain curl).
 */
public final class IamAuthorizer {
  private final SigV4Verifier verifier;
  private final String description;
  private final String curl;

  private IamAuthorizer(SigV4Verifier verifier, String description, String curl) {
    this.verifier = verifier;
    this.description = description;
    this.curl = curl;
  }

  public static IamAuthorizer off() {
    return new IamAuthorizer(null, "Signatures: not checked (--no-auth): every request is let in, without a caller",
        "curl -s");
  }

  public static IamAuthorizer sigV4(List<LocalCredentials> accepted, String region) {
    // curl 7.75+ signs with SigV4 itself; the local pair is documented, so it may be printed
    String user = accepted.get(0).equals(LocalCredentials.LOCAL_PAIR)
        ? LocalCredentials.LOCAL_PAIR.accessKeyId() + ":" + LocalCredentials.LOCAL_PAIR.secretAccessKey()
        : "\"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\"";
    // temporary credentials (SSO, an assumed role) must send their session token too
    String token = accepted.get(0).sessionToken().isPresent() ? " -H \"x-amz-security-token: $AWS_SESSION_TOKEN\"" : "";
    return new IamAuthorizer(new SigV4Verifier(accepted, region),
        "Signatures: SigV4 checked as API Gateway's IAM authorization does (region " + region + ", service "
            + SigV4Verifier.SERVICE + "); accepted: "
            + accepted.stream().map(LocalCredentials::toString).collect(Collectors.joining("; "))
            + "; --no-auth accepts unsigned requests",
        "curl -s --aws-sigv4 aws:amz:" + region + ":" + SigV4Verifier.SERVICE + " --user " + user + token);
  }

  /** How to start a curl command that this API lets in. */
  public String curl() {
    return curl;
  }

  public boolean checksSignatures() {
    return verifier != null;
  }

  /** One line for the banner; names access key ids and where they came from, never a secret. */
  public String description() {
    return description;
  }

  Authorization authorize(GatewayRequest request) {
    return verifier == null ? Authorization.UNCHECKED : verifier.authorize(request);
  }
}
