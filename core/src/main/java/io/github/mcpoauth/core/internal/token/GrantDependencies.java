package io.github.mcpoauth.core.internal.token;

import io.github.mcpoauth.core.event.AuditListener;
import io.github.mcpoauth.core.internal.crypto.Secrets;
import io.github.mcpoauth.core.settings.AuthorizationServerSettings;
import io.github.mcpoauth.core.store.Stores;
import java.util.Objects;

/** What every grant handler works with: the settings, the stores, the token signer, secrets and the audit log. */
record GrantDependencies(AuthorizationServerSettings settings, Stores stores, AccessTokens accessTokens,
        Secrets secrets, AuditListener audit) {

    GrantDependencies {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(stores, "stores");
        Objects.requireNonNull(accessTokens, "accessTokens");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(audit, "audit");
    }
}
