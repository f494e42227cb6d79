// /about: what this site is, how papers enter the Daily feed, and the trending formula with the
// knobs' actual values.
import { AGE_OFFSET_HOURS, GRAVITY, trendingScore, WINDOW_DAYS } from '../../papers/trending.js';
import { Layout } from './layout.js';

export function AboutPage(props: { timezone: string; minUpvotes: number; categories: string[] }) {
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
        <h2 id="new">New papers</h2>
        <p>
          Every evening arXiv announces the day's new submissions; this instance harvests those in <strong>{props.categories.join(', ')}</strong> and lists them
          on <a href="/papers/new">New</a>, one page per announcement day, as arXiv groups them: new submissions, cross-lists from other categories, and
          replacements (new versions). A day there is the day arXiv announced the papers, in the {props.timezone} time zone (arXiv announces at 20:00 New York
          time, Sunday to Thursday; in UTC that is the date printed on arXiv's own lists).
        </p>
        <h2 id="featuring">How a paper enters the Daily feed</h2>
        <p>The Daily, Weekly and Monthly lists show featured papers. A paper is featured on the day it gets in, in one of three ways:</p>
        <ul>
          <li>a member submits it (any arXiv paper of the last few weeks, on Submit);</li>
          <li>a moderator picks it (the "Feature" button on its page);</li>
          <li>
            its upvotes reach <strong>{props.minUpvotes}</strong> (FEATURE_MIN_UPVOTES): anyone who signs in can upvote a paper on New
            {props.minUpvotes === 1 ? ', and in a small group one vote says "this matters"' : ''}.
          </li>
        </ul>
        <p>
          A featured paper stays featured when votes are taken back; moderators can remove it. While nothing is featured, the Daily page shows the day's top new
          papers instead.
        </p>
        <h2 id="following">Following</h2>
        <p>
          Members follow categories, authors, organizations and searches; <a href="/following">Following</a> lists the new papers of the last week that match,
          saying why, and so do a private feed and the email digest's "New for you" section. "Not interested" hides a paper from every list a member sees (undo
          it in Settings, Hidden papers); papers they opened are marked as read.
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
