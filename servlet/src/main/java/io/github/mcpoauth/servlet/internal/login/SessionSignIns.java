package io.github.mcpoauth.servlet.internal.login;

import io.github.mcpoauth.servlet.login.OpenIdLogin.UpstreamTokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where upstream sign-ins live: the HTTP session, under an attribute named after the sign-in base path (the same on
 * every node, so replicated sessions work), with the pending sign-ins next to it. Also hands a provider's refresh
 * token to the app's hook, and only there.
 */
public final class SessionSignIns implements LoginServlet.Host {

    private static final System.Logger LOG = System.getLogger(SessionSignIns.class.getName());

    private final String attribute;
    private final Map<String, UpstreamProvider> providers;
    private final URI callback;
    private final Clock clock;
    private final Duration lifetime;
    private final UpstreamTokens hook;

    public SessionSignIns(URI base, Map<String, UpstreamProvider> providers, Clock clock, Duration lifetime,
            UpstreamTokens hook) {
        this.attribute = "io.github.mcpoauth.openid:" + base.getRawPath();
        this.providers = Map.copyOf(providers);
        this.callback = URI.create(base + "/callback");
        this.clock = clock;
        this.lifetime = lifetime;
        this.hook = hook;
    }

    /** The subject signed in on {@code request}'s session within the lifetime, by a provider still configured. */
    public Optional<String> signedIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(attribute) instanceof SignedIn s)) {
            return Optional.empty();
        }
        if (s.at().plus(lifetime).isBefore(clock.instant()) || !providers.containsKey(s.provider())) {
            return Optional.empty();
        }
        return Optional.of(s.subject());
    }

    @Override
    public Map<String, UpstreamProvider> providers() {
        return providers;
    }

    @Override
    public URI callback() {
        return callback;
    }

    @Override
    public void signIn(HttpServletRequest request, String provider, UpstreamProvider.Outcome outcome) {
        if (hook != null && outcome.refreshToken().isPresent()) {
            try {
                hook.refreshToken(provider, outcome.subject(), outcome.refreshToken().get().getValue());
            } catch (RuntimeException e) {
                // the app's hook failed: the user is still signed in; never log the token
                LOG.log(System.Logger.Level.WARNING, "upstream token hook failed: {0}", e.getClass().getName());
            }
        }
        request.getSession(true).setAttribute(attribute, new SignedIn(provider, outcome.subject(), clock.instant()));
    }

    @Override
    public String pendingAttribute() {
        return attribute + ":pending";
    }
}
