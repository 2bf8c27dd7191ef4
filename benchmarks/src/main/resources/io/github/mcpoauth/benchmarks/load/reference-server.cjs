'use strict';
// The MCP TypeScript SDK's reference authorization server for the side-by-side load harness (LoadHarness):
// the SDK's demo in-memory provider (DemoInMemoryAuthProvider) behind the SDK's mcpAuthRouter, every rate limit
// off, plus a bearer-guarded MCP endpoint (requireBearerAuth + a stateless Streamable HTTP transport with one tool)
// at /mcp. The demo provider has no refresh grant; the subclass below adds the smallest one (rotation, the old
// refresh token forgotten) so that refresh can be measured on both sides. Loopback only.
//
// Usage: node reference-server.cjs <interop dir holding node_modules> ; prints "LISTENING <port>" once bound.
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const interopDir = path.resolve(process.argv[2] || '.');
const load = (name) => require(require.resolve(name, { paths: [interopDir] }));

const express = load('express');
const { mcpAuthRouter } = load('@modelcontextprotocol/sdk/server/auth/router.js');
const { requireBearerAuth } = load('@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js');
const { DemoInMemoryAuthProvider } = load('@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js');
const { McpServer } = load('@modelcontextprotocol/sdk/server/mcp.js');
const { StreamableHTTPServerTransport } = load('@modelcontextprotocol/sdk/server/streamableHttp.js');

class RefreshingProvider extends DemoInMemoryAuthProvider {
  constructor() {
    super(undefined);
    this.refreshTokens = new Map();
  }

  async exchangeAuthorizationCode(client, code, verifier) {
    const tokens = await super.exchangeAuthorizationCode(client, code, verifier);
    return this.withRefresh(client, tokens, this.tokens.get(tokens.access_token));
  }

  withRefresh(client, tokens, data) {
    const refresh = randomUUID();
    this.refreshTokens.set(refresh, { clientId: client.client_id, scopes: data.scopes, resource: data.resource });
    return { ...tokens, refresh_token: refresh };
  }

  async exchangeRefreshToken(client, refreshToken) {
    const data = this.refreshTokens.get(refreshToken);
    if (!data || data.clientId !== client.client_id) {
      throw new Error('Invalid refresh token');
    }
    this.refreshTokens.delete(refreshToken);
    const token = randomUUID();
    this.tokens.set(token, { token, clientId: client.client_id, scopes: data.scopes,
      expiresAt: Date.now() + 3600000, resource: data.resource, type: 'access' });
    return this.withRefresh(client,
      { access_token: token, token_type: 'bearer', expires_in: 3600, scope: data.scopes.join(' ') }, data);
  }
}

const provider = new RefreshingProvider();
const app = express();
app.use(express.json());
app.use(express.urlencoded({ extended: false }));

function start() {
  const server = app.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    const issuer = new URL(`http://127.0.0.1:${port}/`);
    app.use(mcpAuthRouter({
      provider,
      issuerUrl: issuer,
      scopesSupported: ['mcp:tools'],
      authorizationOptions: { rateLimit: false },
      tokenOptions: { rateLimit: false },
      clientRegistrationOptions: { rateLimit: false },
      revocationOptions: { rateLimit: false }
    }));
    app.post('/mcp', requireBearerAuth({ verifier: provider }), async (req, res) => {
      const mcp = new McpServer({ name: 'reference', version: '0.0.0' });
      mcp.registerTool('echo', { description: 'Echoes its input' }, async () => ({ content: [] }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => { transport.close(); mcp.close(); });
      await mcp.connect(transport);
      await transport.handleRequest(req, res, req.body);
    });
    console.log(`LISTENING ${port}`);
  });
  server.keepAliveTimeout = 30000;
}

start();
process.stdin.on('end', () => process.exit(0)); // the harness closes our stdin when it is done
process.stdin.resume();
