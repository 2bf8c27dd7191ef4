package io.github.mcpoauth.servlet.internal.guard;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.DPoPTokenError;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.internal.dpop.ResourceDpop;
import io.github.mcpoauth.core.internal.dpop.TokenEndpointDpop;
import io.github.mcpoauth.core.resource.AccessTokenPrincipal;
import io.github.mcpoauth.core.resource.BearerChallenge;
import io.github.mcpoauth.core.resource.ProtectedResourceSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The guard's DPoP step (RFC 9449 §7), between the servlet request and core's {@link ResourceDpop}: reads the
 * scheme, the {@code DPoP} headers, method and URL; and adds the DPoP parts of a refusal ({@code WWW-Authenticate:
 * DPoP …}, {@code DPoP-Nonce}).
 */
final class GuardDpop {

    private static final int MAX_PROOFS = 2;

    private final ProtectedResourceSettings settings;
    private final ResourceDpop dpop;

    GuardDpop(ProtectedResourceSettings settings) {
        this.settings = settings;
        this.dpop = new ResourceDpop(settings, Secrets.create());
    }

    /** The token and its scheme ({@code DPoP} only when DPoP is on). */
    BearerTokenExtractor.Credentials credentials(HttpServletRequest request) {
        return BearerTokenExtractor.credentials(request, settings.maxTokenLength(), dpop.enabled());
    }

    /** Checks the presentation of a verified token; with nonces on, hands out the current one. */
    void check(HttpServletRequest request, HttpServletResponse response, BearerTokenExtractor.Credentials presented,
            AccessTokenPrincipal principal) {
        dpop.nonce().ifPresent(n -> response.setHeader(TokenEndpointDpop.DPOP_NONCE, n));
        if (!ResourceDpop.SCHEME.equalsIgnoreCase(presented.scheme())) {
            // a Bearer presentation: no proof is read (a bound token or a DPoP-only resource is refused all the
            // same), so the hot path skips the headers and the request URL
            dpop.check(presented.scheme(), presented.token(), principal, List.of(), request.getMethod(), List.of());
            return;
        }
        List<String> proofs = new ArrayList<>(MAX_PROOFS);
        for (String p : Collections.list(request.getHeaders(TokenEndpointDpop.DPOP))) {
            proofs.add(p);
            if (proofs.size() == MAX_PROOFS) {
                break;
            }
        }
        List<URI> urls = new ArrayList<>(2);
        urls.add(settings.resource());
        try {
            urls.add(URI.create(request.getRequestURL().toString()));
        } catch (IllegalArgumentException e) {
            // an unparsable request URL: only the configured resource URL may match
        }
        dpop.check(presented.scheme(), presented.token(), principal, proofs, request.getMethod(), urls);
    }

    /**
     * Adds to a refusal what DPoP clients need: for a DPoP error the {@code DPoP} challenge (first, with the
     * resource metadata URL) and {@code DPoP-Nonce}; with DPoP on, for any 401 a {@code DPoP algs="…"} challenge
     * beside the Bearer one (RFC 9449 §7.1).
     */
    void challenge(HTTPResponse response, ErrorObject error) {
        dpop.nonce().ifPresent(n -> response.setHeader(TokenEndpointDpop.DPOP_NONCE, n));
        if (error instanceof DPoPTokenError d) {
            String value = d.toWWWAuthenticateHeader() + ", resource_metadata=\""
                    + BearerChallenge.format(null, null, settings.resourceMetadataUrl())
                    .replaceFirst("^Bearer resource_metadata=\"", "");
            response.setHeader("WWW-Authenticate", value, BearerChallenge.of(settings, null));
        } else if (dpop.enabled() && error.getHTTPStatusCode() == 401) {
            List<String> challenges = new ArrayList<>();
            List<String> present = response.getHeaderValues("WWW-Authenticate");
            if (present != null) {
                challenges.addAll(present);
            }
            challenges.add("DPoP algs=\"" + String.join(" ", settings.dpop().orElseThrow()
                    .algorithms().stream().map(a -> a.getName()).toList()) + "\"");
            response.setHeader("WWW-Authenticate", challenges.toArray(String[]::new));
        }
    }
}
