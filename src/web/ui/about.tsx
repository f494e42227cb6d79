// /about: what this site is, and the trending formula with the knobs' actual values.
import { AGE_OFFSET_HOURS, GRAVITY, trendingScore, WINDOW_DAYS } from '../../papers/trending.js';
import { Layout } from './layout.js';

export function AboutPage(props: { timezone: string }) {
  const example = (votes: number, hours: number) => trendingScore(votes, hours).toFixed(3);
  return (
    <Layout title="About - dailypapers" section="about" description="What dailypapers is and how its trending list is ranked.">
      <div class="prose">
        <h1>About dailypapers</h1>
        <p>
          dailypapers is a self-hosted hub of research papers from arXiv: every day people feature the papers worth reading, vote them up and discuss them. The
          daily, weekly and monthly lists show the papers featured in that period, most upvoted first; days are counted in the <strong>{props.timezone}</strong>{' '}
          time zone.
        </p>
        <h2 id="trending">How trending works</h2>
        <p>
          The trending list ranks the papers featured in the last {WINDOW_DAYS} days by a score in which upvotes fade with age, the "gravity" model of Hacker
          News:
        </p>
        <pre>
          <code>
            score = upvotes / (age_hours + {AGE_OFFSET_HOURS}) ^ {GRAVITY}
          </code>
        </pre>
        <ul>
          <li>
            <code>age_hours</code> is the time since the paper was featured (not since it appeared on arXiv).
          </li>
          <li>The {AGE_OFFSET_HOURS} hours added to every age keep a paper featured a minute ago from being divided by almost zero.</li>
          <li>
            The gravity {GRAVITY} decides how fast age wins over votes: at this value a paper needs about{' '}
            {Math.round(((24 + AGE_OFFSET_HOURS) / (0 + AGE_OFFSET_HOURS)) ** GRAVITY)} times the upvotes of a paper featured just now to keep up after one day.
          </li>
          <li>Ties go to more upvotes, then to the more recently featured paper.</li>
          <li>
            If nothing was featured in the last {WINDOW_DAYS} days (an archive, or a paused instance), ages are counted from the newest featured paper instead
            of now, so the list shows what was trending when the feed last moved.
          </li>
        </ul>
        <p>
          For example, 40 upvotes one day old score {example(40, 24)}, 100 upvotes three days old score {example(100, 72)}, and 200 upvotes a week old score{' '}
          {example(200, 168)}: yesterday's paper is on top.
        </p>
        <p>The same score is offered as a sort order on every daily, weekly and monthly list, measured at the end of that period.</p>
        <h2>Keyboard</h2>
        <p>
          <kbd>j</kbd> and <kbd>k</kbd> move between the papers of a list, <kbd>o</kbd> opens the current one.
        </p>
      </div>
    </Layout>
  );
}
