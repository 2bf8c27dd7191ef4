/**
 * OAuth Client ID Metadata Documents: a client whose {@code client_id} is an https URL is described by the JSON
 * document served at that URL, fetched and validated by the authorization server on first use instead of being
 * registered beforehand. The MCP authorization specification (2025-11-25) prefers this over dynamic registration.
 *
 * <p>{@link io.github.mcpoauth.core.client.document.MetadataDocumentClients} is the whole feature: a
 * {@link io.github.mcpoauth.core.store.ClientStore} decorator, so every endpoint that looks clients up accepts
 * such clients without knowing about them. Fetching an attacker-chosen URL from inside the server is a
 * server-side request forgery risk; {@link io.github.mcpoauth.core.client.document.AddressPolicy} and
 * {@link io.github.mcpoauth.core.client.document.AddressPolicy.HostResolver} are the seams of that defence.
 *
 * @see <a href="https://datatracker.ietf.org/doc/draft-ietf-oauth-client-id-metadata-document/">OAuth Client ID
 *     Metadata Document (draft-ietf-oauth-client-id-metadata-document)</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization">MCP authorization,
 *     Client ID Metadata Documents</a>
 */
package io.github.mcpoauth.core.client.document;
