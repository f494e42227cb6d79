// The Subscribe box on every feed page (Hugging Face's one offer to visitors who are not signed
// in): an address and daily or weekly, POSTed to /subscribe, which mails the opt-in link. More
// choices (size, categories, keywords) are on /subscribe itself.

export const BOX_STYLE = `
.subscribe-box { border: 1px solid var(--border); border-radius: var(--radius); padding: 1rem; margin: 1.5rem 0; background: var(--surface); }
.subscribe-box h2 { font-size: 1rem; margin: 0 0 .35rem; }
.subscribe-box p { margin: 0 0 .6rem; color: var(--muted); font-size: .9rem; }
.subscribe-row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.subscribe-row input[type=email] { flex: 1 1 14rem; min-width: 0; }
.subscribe-form input[type=email], .subscribe-form input[type=text], .subscribe-form input[type=number], .subscribe-form select, .subscribe-box input, .subscribe-box select {
  background: var(--bg); border: 1px solid var(--muted); border-radius: 8px; padding: .35rem .55rem; }
.subscribe-form label { display: block; font-weight: 600; margin: .9rem 0 .25rem; }
.subscribe-form .hint { color: var(--muted); font-size: .85rem; margin: .2rem 0 0; }
.subscribe-form fieldset { border: 0; padding: 0; margin: .9rem 0 0; }
.subscribe-form legend { font-weight: 600; padding: 0; margin-bottom: .25rem; }
.subscribe-form .choice { display: inline-flex; gap: .3rem; align-items: center; margin-right: 1rem; font-weight: normal; }
.subscribe-form .wide { width: 100%; max-width: 32rem; }
.subscribe-form .error, .notice.error { color: #b91c1c; }
@media (prefers-color-scheme: dark) { .subscribe-form .error, .notice.error { color: #fca5a5; } }
.inline-form { display: inline; margin: 0 .5rem .5rem 0; }
`;

export function SubscribeBox() {
  return (
    <section class="subscribe-box" aria-labelledby="subscribe-box-title">
      <style>{BOX_STYLE}</style>
      <h2 id="subscribe-box-title">Get the top papers by email</h2>
      <p>
        Daily (weekdays) or weekly (Mondays). No account needed; you confirm by email, and every message unsubscribes in one click.{' '}
        <a href="/subscribe">More options</a>
      </p>
      <form class="subscribe-row" method="post" action="/subscribe">
        <label class="visually-hidden" for="subscribe-box-email">
          Email address
        </label>
        <input type="email" id="subscribe-box-email" name="email" required autocomplete="email" placeholder="you@example.com" />
        <label class="visually-hidden" for="subscribe-box-frequency">
          How often
        </label>
        <select id="subscribe-box-frequency" name="frequency">
          <option value="daily">Daily</option>
          <option value="weekly">Weekly</option>
        </select>
        <button class="btn btn-primary" type="submit">
          Subscribe
        </button>
      </form>
    </section>
  );
}
