// A real OpenID Connect provider for the tests (oidc-provider, a certified implementation),
// standing in for ID-porten and for the staff's identity provider on 127.0.0.1.
//
//   node provider.mjs PORT CONFIG_JSON
//
// CONFIG_JSON: {"clients": [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}],
//               "accounts": {id: {pid, acr, amr, name, email}}}
// The test says who signs in with login_hint (an account id); without one, a browser gets a form
// asking for the test identity, as ID-porten's test environment does. The account's acr and amr
// are what the ID token carries, as ID-porten's do.
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const config = JSON.parse(process.argv[3]);
const issuer = `http://127.0.0.1:${port}`;

// The provider's question before it ends its session (its own page loads web fonts).
async function logoutSource(ctx, form) {
  ctx.body = `<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><title>Logg ut av testinnloggingen</title></head>
<body><main><h1>Logg ut av testinnloggingen</h1>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Logg ut</button>
</main></body></html>`;
}

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    ...client,
  })),
  acrValues: ['idporten-loa-low', 'idporten-loa-substantial', 'idporten-loa-high', 'staff-mfa'],
  claims: { openid: ['sub', 'pid'], profile: ['name'], email: ['email'] },
  // ID-porten puts pid in the ID token.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true, logoutSource },
  },
  ttl: { IdToken: Number(process.env.ID_TOKEN_TTL || 3600) },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['test-cookie-key'] },
  async findAccount(ctx, id) {
    const account = config.accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, pid: account.pid, name: account.name, email: account.email };
      },
    };
  },
});
provider.proxy = false;

// A provider that misbehaves on purpose, for the tests of what the service refuses: an account
// with "tamper" gets an ID token signed with the provider's own key but with a wrong aud, iss
// or nonce, or one that expires_in seconds after it is made (negative: expired already).
function override(object, name, value) {
  const saved = Object.getOwnPropertyDescriptor(object, name);
  Object.defineProperty(object, name, { value, configurable: true, writable: true });
  return () => {
    if (saved) Object.defineProperty(object, name, saved);
    else delete object[name];
  };
}
const { IdToken } = provider;
const originalIssue = IdToken.prototype.issue;
const originalExpiresIn = IdToken.expiresIn;
const tamperOf = (token) => (token && token.available && config.accounts[token.available.sub]?.tamper) || {};
IdToken.prototype.issue = async function issue(options = {}) {
  const tamper = options.use === 'idtoken' ? tamperOf(this) : {};
  const restore = [];
  if (tamper.nonce) this.set('nonce', tamper.nonce);
  if (tamper.aud) restore.push(override(this.client, 'clientId', tamper.aud));
  if (tamper.iss) restore.push(override(provider, 'issuer', tamper.iss));
  try {
    return await originalIssue.call(this, options);
  } finally {
    restore.reverse().forEach((undo) => undo());
  }
};
IdToken.expiresIn = function expiresIn(...args) {
  const tamper = tamperOf(args[1]);
  if (tamper.expires_in !== undefined) return tamper.expires_in;
  return originalExpiresIn.apply(this, args);
};

// The test identity form a browser meets at the provider.
function loginForm(res, action) {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(`<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><title>Testinnlogging</title></head>
<body><main><h1>Testinnlogging</h1>
<form method="post" action="${action}">
<label for="account">Testidentitet</label> <input id="account" name="account" autocomplete="off">
<button type="submit">Logg inn</button>
</form></main></body></html>`);
}

function body(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  if (req.url === '/favicon.ico') {
    res.statusCode = 204;
    return res.end();
  }
  if (!req.url.startsWith('/interaction/')) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    const { prompt, params } = details;
    if (prompt.name === 'login') {
      let chosen = params.login_hint;
      if (!chosen && req.method === 'GET') return loginForm(res, req.url);
      if (!chosen) chosen = new URLSearchParams(await body(req)).get('account');
      const account = config.accounts[chosen];
      if (!account) {
        return provider.interactionFinished(req, res, {
          error: 'access_denied', error_description: 'unknown test account',
        });
      }
      return provider.interactionFinished(req, res, {
        login: { accountId: chosen, acr: account.acr, amr: account.amr },
      }, { mergeWithLastSubmission: false });
    }
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});
server.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
