/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2430}
header{background:#151a21;color:#fff;padding:.8rem 1.5rem;display:flex;gap:1.5rem;align-items:center}
header a{color:#cfd8e3;text-decoration:none}header strong{margin-right:auto}
main{padding:1.5rem;max-width:70rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e1e5ea;padding:.5rem .6rem;text-align:left;vertical-align:top;font-size:.9rem}
code{font-size:.85rem;word-break:break-all}
form.login{background:#fff;max-width:22rem;margin:4rem auto;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
form.login label{display:block;margin:.8rem 0 .2rem}
form.login input{width:100%;box-sizing:border-box;padding:.45rem;font-size:1rem}
form.login button{margin-top:1.2rem;padding:.5rem 1.2rem;font-size:1rem}
.error{color:#b3261e;font-weight:600}
`;

/** A small standalone page (login, runs) styled without scripts. */
export function page(title: string, body: string, nav?: { prefix: string; showLogout: boolean }): string {
  const links = nav
    ? `<a href="${escapeHtml(nav.prefix)}/">Queues</a><a href="${escapeHtml(nav.prefix)}/runs">Runs</a><a href="${escapeHtml(nav.prefix)}/history">History</a>` +
      (nav.showLogout ? `<a href="${escapeHtml(nav.prefix)}/logout">Log out</a>` : "")
    : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · Canopy board</title><style>${STYLE}</style></head>
<body><header><strong>Canopy board</strong>${links}</header><main>${body}</main></body></html>`;
}
