// Drives openid-client (panva) through the OneDoor provider; prints one JSON line of results.
import * as client from "openid-client";

const env = process.env;
const issuer = new URL(env.ISSUER);
const redirectUri = env.REDIRECT_URI;
const jar = new Map();

function remember(response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const index = pair.indexOf("=");
    jar.set(pair.slice(0, index), pair.slice(index + 1));
  }
}

async function browse(url, init = {}) {
  const headers = { ...(init.headers ?? {}), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") };
  const response = await fetch(url, { ...init, headers, redirect: "manual" });
  remember(response);
  return response;
}

async function submit(pageUrl, fields) {
  const html = await (await browse(pageUrl)).text();
  const hidden = Object.fromEntries([...html.matchAll(/name="(ix|csrf)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const action = html.match(/action="([^"]+)"/)[1];
  return browse(action, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...hidden, ...fields }).toString(),
  });
}

const config = await client.discovery(issuer, env.CLIENT_ID, env.CLIENT_SECRET, client.ClientSecretBasic(env.CLIENT_SECRET), {
  execute: [client.allowInsecureRequests],
});
const verifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const nonce = client.randomNonce();
const authorizationUrl = client.buildAuthorizationUrl(config, {
  redirect_uri: redirectUri,
  scope: "openid profile",
  code_challenge: await client.calculatePKCECodeChallenge(verifier),
  code_challenge_method: "S256",
  state,
  nonce,
});

let response = await browse(authorizationUrl);
response = await submit(response.headers.get("location"), { login: "bob", password: env.PASSWORD });
const callback = response.headers.get("location");
if (!callback.startsWith(redirectUri)) throw new Error(`unexpected redirect ${callback}`);

const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
  pkceCodeVerifier: verifier,
  expectedState: state,
  expectedNonce: nonce,
  idTokenExpected: true,
});
const claims = tokens.claims();
const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
const introspected = await client.tokenIntrospection(config, refreshed.access_token);
await client.tokenRevocation(config, refreshed.refresh_token);
const afterRevocation = await client.tokenIntrospection(config, refreshed.access_token);
const logoutUrl = client.buildEndSessionUrl(config, {
  id_token_hint: tokens.id_token,
  post_logout_redirect_uri: env.POST_LOGOUT_URI,
  state: "bye",
});
const logout = await browse(logoutUrl);

console.log(JSON.stringify({
  sub: claims.sub,
  acr: claims.acr,
  userinfo,
  refreshedHasIdToken: Boolean(refreshed.id_token),
  rotated: refreshed.refresh_token !== tokens.refresh_token,
  introspectedActive: introspected.active,
  activeAfterRevocation: afterRevocation.active,
  logoutLocation: logout.headers.get("location"),
}));
