// The members surface, mounted by app.ts before the pages and the API: security headers, body
// limits, cross-origin refusal and session loading for every request, then the route tables of
// accounts, settings, discussion, submissions, people, organizations and moderation.
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from '../../deps.js';
import { registerMembersApi } from '../../api/members.js';
import { refuseCrossOrigin } from '../../middleware/csrf.js';
import { securityHeaders } from '../../middleware/security.js';
import { cookieNames, loadMember } from '../../middleware/session.js';
import { registerAccount } from './account.js';
import { registerAdmin } from './admin.js';
import { registerComments } from './comments.js';
import type { Members } from './kit.js';
import { registerOrgs } from './orgs.js';
import { registerPeople } from './people.js';
import { registerSettings } from './settings.js';
import { registerSubmit } from './submit.js';

/** Largest request body: a comment is at most 10,000 characters; nothing we accept is bigger. */
export const MAX_BODY_BYTES = 64 * 1024;

export function mountMembers(app: Hono, deps: AppDeps): Members {
  const names = cookieNames(deps.config.baseUrl);
  const m: Members = { ...deps, names };
  app.use('*', securityHeaders(names.https));
  app.use('*', bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => (c.req.path.startsWith('/api/') ? c.json({ error: `request body over ${MAX_BODY_BYTES} bytes` }, 413) : c.text(`Request body over ${MAX_BODY_BYTES} bytes.`, 413)),
  }));
  app.use('*', refuseCrossOrigin(deps.config.baseUrl));
  app.use('*', loadMember(deps.db.db, m.secret, names));
  registerMembersApi(app, m);
  registerAccount(app, m);
  registerSettings(app, m);
  registerComments(app, m);
  registerSubmit(app, m);
  registerPeople(app, m);
  registerOrgs(app, m);
  registerAdmin(app, m);
  return m;
}
