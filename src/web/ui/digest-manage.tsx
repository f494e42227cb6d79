// The pages of a digest subscription: the frame they share, and the manage page behind the signed
// link of every digest (unsubscribe, switch frequency, the follows of "New for you").
import type { Frequency } from '../../digests/period.js';
import { describeChoices } from '../../digests/render.js';
import { followLabel } from '../../members/follows.js';
import type { Subscription } from '../../members/subscriptions.js';
import type { Follow } from '../../store/follows.js';
import { BOX_STYLE } from './components/subscribe-box.js';
import { Layout } from './layout.js';
import { FollowFields } from './members/daily.js';

export function Page(props: { title: string; children: unknown }) {
  return (
    <Layout title={`${props.title} - dailypapers`}>
      <style>{BOX_STYLE}</style>
      <div class="prose">{props.children as never}</div>
    </Layout>
  );
}

export function ManagePage(props: { sub: Subscription; action: string; message?: string | undefined; follows: Follow[] }) {
  const s = props.sub;
  const other: Frequency = s.frequency === 'daily' ? 'weekly' : 'daily';
  const button = (action: string, label: string, primary = false) => (
    <form class="inline-form" method="post" action={props.action}>
      <input type="hidden" name="action" value={action} />
      <button class={primary ? 'btn btn-primary' : 'btn'} type="submit">
        {label}
      </button>
    </form>
  );
  return (
    <Page title="Your digest">
      <h1>Your digest</h1>
      {props.message ? (
        <p class="notice" role="status">
          <strong>{props.message}</strong>
        </p>
      ) : null}
      <p>
        <strong>{s.email}</strong>:{' '}
        {s.status === 'active'
          ? describeChoices(s)
          : s.status === 'paused'
            ? 'paused after repeated delivery failures'
            : s.status === 'pending'
              ? 'waiting for confirmation'
              : 'unsubscribed'}
        .
      </p>
      {s.status === 'active' ? (
        <div>
          {button('unsubscribe', 'Unsubscribe', true)}
          {button(other, `Switch to ${other} instead`)}
        </div>
      ) : (
        <div>{button('resubscribe', 'Subscribe again')}</div>
      )}
      <h2 id="follows">New for you</h2>
      <p>
        Follow categories, authors, organizations or searches: the new arXiv papers that match come in a "New for you" section of your digest, each paper once.
        {s.userId !== null ? ' The follows of your account (on Following) count too.' : ''}
      </p>
      {props.follows.length ? (
        <ul>
          {props.follows.map((f) => (
            <li>
              {followLabel(f)}{' '}
              <form class="inline-form" method="post" action={props.action}>
                <input type="hidden" name="action" value="unfollow" />
                <input type="hidden" name="id" value={String(f.id)} />
                <button class="linklike" type="submit">
                  unfollow
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : null}
      <form method="post" action={props.action} class="stack">
        <input type="hidden" name="action" value="follow" />
        <FollowFields />
        <button class="btn" type="submit">
          Follow
        </button>
      </form>
    </Page>
  );
}
