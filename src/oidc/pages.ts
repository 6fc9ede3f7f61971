/**
 * The provider's interaction pages: login, consent, error. Plain server-rendered HTML in one
 * document each, `lang` set, every control labelled, no scripts and no external assets; every
 * form carries the CSRF token of its cookie.
 */
const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Roster</title>
<style>
body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#111;background:#fff}
label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input[type=text],input[type=password]{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1rem;font-size:1rem}
.error{color:#a00;border:1px solid #a00;padding:.5rem}
</style>
</head>
<body>
<main>
<h1>${esc(title)}</h1>
${body}
</main>
</body>
</html>`;
}

const csrfField = (token: string) => `<input type="hidden" name="csrf" value="${esc(token)}">`;

export function renderLoginPage(opts: { uid: string; csrf: string; clientName: string; login?: string; error?: string }): string {
  const error = opts.error ? `<p class="error" role="alert">${esc(opts.error)}</p>` : '';
  return page(
    'Sign in',
    `<p>Sign in to continue to <strong>${esc(opts.clientName)}</strong>.</p>
${error}
<form method="post" action="/oidc/interaction/${esc(opts.uid)}/login" autocomplete="on">
${csrfField(opts.csrf)}
<label for="login">Username or email</label>
<input id="login" name="login" type="text" autocomplete="username" required value="${esc(opts.login ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/oidc/interaction/${esc(opts.uid)}/abort">${csrfField(opts.csrf)}<button type="submit">Cancel</button></form>`,
  );
}

export function renderConsentPage(opts: { uid: string; csrf: string; clientName: string; scopes: string[] }): string {
  const items = opts.scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join('');
  return page(
    'Allow access',
    `<p><strong>${esc(opts.clientName)}</strong> asks for:</p>
<ul>${items}</ul>
<form method="post" action="/oidc/interaction/${esc(opts.uid)}/confirm">${csrfField(opts.csrf)}<button type="submit">Allow</button></form>
<form method="post" action="/oidc/interaction/${esc(opts.uid)}/abort">${csrfField(opts.csrf)}<button type="submit">Deny</button></form>`,
  );
}

export function renderErrorPage(error: string, description: string): string {
  return page('Sign-in problem', `<p class="error" role="alert"><strong>${esc(error)}</strong>: ${esc(description)}</p>`);
}
