package io.github.mcpoauth.core.client.document;

import io.github.mcpoauth.core.error.OAuthException;

/**
 * Why a client ID metadata document was not accepted. Carried as the project's one exception type and caught
 * inside {@link MetadataDocumentClients}: the outside sees an unknown client and the log sees the reason. Reasons
 * are fixed phrases and numbers, never content from the document.
 */
final class Rejection {

    private Rejection() {
    }

    static OAuthException of(String reason) {
        return OAuthException.invalidClient(reason);
    }
}
