/**
 * mcp-oauth-core: the framework-neutral OAuth 2.1 authorization server and resource server for MCP.
 *
 * <p>Only the API packages are exported. The {@code internal} packages are the implementation: they are exported
 * to the servlet module alone and may change in any release.
 */
module io.github.mcpoauth.core {
    requires transitive oauth2.oidc.sdk;
    requires transitive com.nimbusds.jose.jwt;
    requires transitive java.sql;
    requires content.type;
    requires json.smart;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;
    requires java.net.http;

    exports io.github.mcpoauth.core;
    exports io.github.mcpoauth.core.client.document;
    exports io.github.mcpoauth.core.error;
    exports io.github.mcpoauth.core.event;
    exports io.github.mcpoauth.core.resource;
    exports io.github.mcpoauth.core.settings;
    exports io.github.mcpoauth.core.store;
    exports io.github.mcpoauth.core.store.jdbc;
    exports io.github.mcpoauth.core.store.memory;

    exports io.github.mcpoauth.core.internal.authorization to io.github.mcpoauth.servlet;
    exports io.github.mcpoauth.core.internal.client to io.github.mcpoauth.servlet;
    exports io.github.mcpoauth.core.internal.crypto to io.github.mcpoauth.servlet;
    exports io.github.mcpoauth.core.internal.endpoint to io.github.mcpoauth.servlet;
    exports io.github.mcpoauth.core.internal.dpop to io.github.mcpoauth.servlet;
    exports io.github.mcpoauth.core.internal.error to io.github.mcpoauth.servlet;
    exports io.github.mcpoauth.core.internal.keys to io.github.mcpoauth.servlet;
    exports io.github.mcpoauth.core.internal.metadata to io.github.mcpoauth.servlet;
    exports io.github.mcpoauth.core.internal.net to io.github.mcpoauth.servlet;
    exports io.github.mcpoauth.core.internal.resource to io.github.mcpoauth.servlet;
    exports io.github.mcpoauth.core.internal.settings to io.github.mcpoauth.servlet;
    exports io.github.mcpoauth.core.internal.token to io.github.mcpoauth.servlet;
}
