// The members surface, mounted by app.ts before the pages and the API: security headers, body
// limits, cross-origin refusal and session loading for every request, then the route tables of
// accounts, settings, discussion, submissions, people, organizations and moderation.
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { resolveSecret } from '../../../config.js';
import { createMailer, type Mailer } from '../../../mail/transport.js';
import { RateLimiter } from '../../../auth/ratelimit.js';
import type { AppDeps } from '../../app.js';
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

const mounted = new WeakMap<Hono, Members>();

/**
 * Account mail is rare (a sign-up, a reset): each message gets its own transport, closed after
 * sending, so that no pooled SMTP connection outlives the request or holds up a shutdown.
 */
function oneShotMailer(deps: AppDeps): Mailer {
  return {
    async send(message) {
      const mailer = createMailer(deps.config, deps.log);
      try {
        return await mailer.send(message);
      } finally {
        mailer.close();
      }
    },
    close() {},
  };
}

/** The members services of an app (to close its mailer's pooled SMTP connections at shutdown). */
export const membersOf = (app: Hono): Members | undefined => mounted.get(app);

export function mountMembers(app: Hono, deps: AppDeps, options: { limiter?: RateLimiter; rules?: Members['rules'] } = {}): Members {
  const names = cookieNames(deps.config.baseUrl);
  const m: Members = {
    db: deps.db,
    config: deps.config,
    secret: resolveSecret(deps.config),
    names,
    limiter: options.limiter ?? new RateLimiter(),
    mailer: oneShotMailer(deps),
    log: deps.log,
    rules: options.rules,
  };
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
  mounted.set(app, m);
  return m;
}
