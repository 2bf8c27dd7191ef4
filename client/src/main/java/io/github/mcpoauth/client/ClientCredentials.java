package io.github.mcpoauth.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.github.mcpoauth.client.internal.Http;

/**
 * How the client authenticates at a token endpoint (<a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3">RFC
 * 6749 §2.3</a>): {@code none} (public client), {@code client_secret_basic}, {@code client_secret_post}, or
 * {@code private_key_jwt} (<a href="https://www.rfc-editor.org/rfc/rfc7523#section-2.2">RFC 7523 §2.2</a>, the
 * assertion's audience being the authorization server's issuer). {@link #toString()} shows neither secret nor key.
 */
public final class ClientCredentials {

    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final String clientId;
    private final String method;
    private final String secret;
    private final PrivateKey key;
    private final String keyId;

    private ClientCredentials(String clientId, String method, String secret, PrivateKey key, String keyId) {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId is required");
        }
        this.clientId = clientId;
        this.method = method;
        this.secret = secret;
        this.key = key;
        this.keyId = keyId;
    }

    /** A public client: the client id in the form, no secret. */
    public static ClientCredentials none(String clientId) {
        return new ClientCredentials(clientId, "none", null, null, null);
    }

    /** HTTP Basic with the form-url-encoded id and secret (RFC 6749 §2.3.1). */
    public static ClientCredentials secretBasic(String clientId, String secret) {
        return new ClientCredentials(clientId, "client_secret_basic", requireSecret(secret), null, null);
    }

    /** The id and secret in the form body. */
    public static ClientCredentials secretPost(String clientId, String secret) {
        return new ClientCredentials(clientId, "client_secret_post", requireSecret(secret), null, null);
    }

    /**
     * A JWT assertion signed with the client's private key: ES256/ES384/ES512 for an EC key (by curve), RS256 for
     * an RSA key.
     *
     * @param keyId the {@code kid} header, or null
     */
    public static ClientCredentials privateKeyJwt(String clientId, PrivateKey key, String keyId) {
        if (!(key instanceof ECPrivateKey) && !(key instanceof RSAPrivateKey)) {
            throw new IllegalArgumentException("key must be an EC or RSA private key");
        }
        return new ClientCredentials(clientId, "private_key_jwt", null, key, keyId);
    }

    /** {@link #privateKeyJwt(String, PrivateKey, String)} from a PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public static ClientCredentials privateKeyJwtFromPem(String clientId, String pkcs8Pem) {
        String b64 = Objects.requireNonNull(pkcs8Pem, "pkcs8Pem").replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        for (String alg : new String[] {"EC", "RSA"}) {
            try {
                return privateKeyJwt(clientId,
                        KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der)), null);
            } catch (java.security.GeneralSecurityException e) {
                // try the next key type
            }
        }
        throw new IllegalArgumentException("pkcs8Pem is not a PKCS#8 EC or RSA private key");
    }

    /**
     * Rebuilds credentials from a registration.
     *
     * @throws ClientAuthorizationException for a method this client cannot use (e.g. {@code client_secret_jwt}):
     *         sending such a client's requests as a public client's would only fail later, and less clearly
     */
    static ClientCredentials of(StoredClient client) {
        return switch (client.authMethod()) {
            case "none" -> none(client.clientId());
            case "client_secret_basic" -> secretBasic(client.clientId(), client.clientSecret().orElse(""));
            case "client_secret_post" -> secretPost(client.clientId(), client.clientSecret().orElse(""));
            default -> throw new ClientAuthorizationException("the registration at " + client.issuer()
                    + " uses token_endpoint_auth_method " + client.authMethod()
                    + ", which this client does not support (none, client_secret_basic, client_secret_post)");
        };
    }

    private static String requireSecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secret is required");
        }
        return secret;
    }

    /** @return the client identifier */
    public String clientId() {
        return clientId;
    }

    /** @return the {@code token_endpoint_auth_method} */
    public String authMethod() {
        return method;
    }

    /** Adds client authentication to a token request. */
    void apply(String issuer, URI tokenEndpoint, Map<String, String> form, Map<String, String> headers, Clock clock) {
        switch (method) {
            case "client_secret_basic" -> {
                String pair = Http.formEncode(Map.of("a", clientId)).substring(2) + ":"
                        + Http.formEncode(Map.of("a", secret)).substring(2);
                headers.put("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
            case "client_secret_post" -> {
                form.put("client_id", clientId);
                form.put("client_secret", secret);
            }
            case "private_key_jwt" -> {
                form.put("client_assertion_type", ASSERTION_TYPE);
                form.put("client_assertion", assertion(issuer, clock));
            }
            default -> form.put("client_id", clientId);
        }
    }

    private String assertion(String audience, Clock clock) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).build();
        try {
            JWSAlgorithm alg;
            JWSSigner signer;
            if (key instanceof ECPrivateKey ec) {
                int bits = ec.getParams().getCurve().getField().getFieldSize();
                alg = bits <= 256 ? JWSAlgorithm.ES256 : bits <= 384 ? JWSAlgorithm.ES384 : JWSAlgorithm.ES512;
                signer = new ECDSASigner(ec);
            } else {
                alg = JWSAlgorithm.RS256;
                signer = new RSASSASigner(key);
            }
            JWSHeader header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(keyId).build();
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new ClientAuthorizationException("could not sign the client assertion: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + ", method=" + method + "]";
    }
}
