#!/usr/bin/env bash
# Walks the whole OAuth flow against the running example with curl, the way docs/getting-started.md describes:
# discovery, registration, login, consent, token, refresh (rotation), reuse detection, revocation.
# Usage: examples/scripts/curl-walkthrough.sh [base-url]   (default http://localhost:8080)
set -euo pipefail
B=${1:-http://localhost:8080}
JAR=$(mktemp); trap 'rm -f "$JAR"' EXIT
json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
field() { sed -n "s/.*name=\"$1\" value=\"\([^\"]*\)\".*/\1/p" | head -1; }
urlenc() { python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

echo "== 1. Discovery"
curl -s "$B/.well-known/oauth-authorization-server" | json '["code_challenge_methods_supported"]'

echo "== 2. Dynamic client registration (public client, like Claude Code or the MCP Inspector)"
REDIRECT=http://127.0.0.1:9999/callback
CID=$(curl -s -X POST "$B/oauth2/register" -H 'Content-Type: application/json' \
  -d "{\"client_name\":\"curl demo\",\"redirect_uris\":[\"$REDIRECT\"],\"token_endpoint_auth_method\":\"none\",\"grant_types\":[\"authorization_code\",\"refresh_token\"]}" \
  | json '["client_id"]')
echo "client_id=$CID"

echo "== 3. PKCE"
VERIFIER=$(openssl rand -base64 48 | tr -d '=+/\n' | cut -c1-64)
CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')
AUTHZ="$B/oauth2/authorize?response_type=code&client_id=$CID&redirect_uri=$(urlenc $REDIRECT)&code_challenge=$CHALLENGE&code_challenge_method=S256&state=xyz&scope=mcp&resource=$(urlenc $B/mcp)"

echo "== 4. Authorization request -> login page"
LOGIN=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$JAR" -b "$JAR" "$AUTHZ"); echo "$LOGIN"
PAGE=$(curl -s -c "$JAR" -b "$JAR" "$LOGIN")
CSRF=$(printf %s "$PAGE" | field csrf); RETURN=$(printf %s "$PAGE" | field return | sed 's/&amp;/\&/g')
AFTER=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$JAR" -b "$JAR" "$B/login" \
  --data-urlencode username=alice --data-urlencode password=alice-password \
  --data-urlencode "csrf=$CSRF" --data-urlencode "return=$RETURN")

echo "== 5. Consent page, approve"
CONSENT=$(curl -s -c "$JAR" -b "$JAR" "$AFTER")
FORM=$(printf %s "$CONSENT" | grep -o '<input type="hidden" name="[^"]*" value="[^"]*">' \
  | sed 's/.*name="\([^"]*\)" value="\([^"]*\)".*/\1=\2/' | sed 's/&amp;/\&/g; s/&quot;/"/g; s/&#39;/'"'"'/g')
ARGS=(); while IFS= read -r kv; do ARGS+=(--data-urlencode "$kv"); done <<< "$FORM"
CALLBACK=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$JAR" -b "$JAR" -H "Origin: $B" \
  "$B/oauth2/authorize/consent" "${ARGS[@]}" --data-urlencode decision=approve)
echo "$CALLBACK"
CODE=$(python3 -c 'import sys,urllib.parse as u; print(u.parse_qs(u.urlparse(sys.argv[1]).query)["code"][0])' "$CALLBACK")

echo "== 6. Token"
TOKENS=$(curl -s "$B/oauth2/token" -d grant_type=authorization_code -d "code=$CODE" \
  --data-urlencode "redirect_uri=$REDIRECT" -d "code_verifier=$VERIFIER" -d "client_id=$CID")
ACCESS=$(printf %s "$TOKENS" | json '["access_token"]'); REFRESH1=$(printf %s "$TOKENS" | json '["refresh_token"]')
echo "access token claims: $(printf %s "$ACCESS" | cut -d. -f2 | tr '_-' '/+' | base64 -d 2>/dev/null || true)"

echo "== 7. Refresh (rotation)"
REFRESH2=$(curl -s "$B/oauth2/token" -d grant_type=refresh_token -d "refresh_token=$REFRESH1" -d "client_id=$CID" \
  | json '["refresh_token"]')
echo "new refresh token issued: $([ "$REFRESH2" != "$REFRESH1" ] && echo yes)"

echo "== 8. Reuse of the old refresh token: invalid_grant, and the whole grant is revoked"
curl -s "$B/oauth2/token" -d grant_type=refresh_token -d "refresh_token=$REFRESH1" -d "client_id=$CID"; echo
curl -s "$B/oauth2/token" -d grant_type=refresh_token -d "refresh_token=$REFRESH2" -d "client_id=$CID"; echo

echo "== 9. Revocation always answers 200"
curl -s -o /dev/null -w '%{http_code}\n' "$B/oauth2/revoke" -d "token=$REFRESH2" -d "client_id=$CID"
