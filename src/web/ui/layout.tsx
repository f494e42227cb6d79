// The page shell: head (title, description, Open Graph, one stylesheet), a header with the sections
// and the search box, and a footer. Other pages (status, search) import Layout too.
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { feedLinks, type FeedLink } from '../feeds/links.js';
import { assetUrl } from './static.js';
import { AccountMenu } from './components/account.js';
import { SubscribeBox } from './components/subscribe-box.js';

export type Section = 'daily' | 'new' | 'weekly' | 'monthly' | 'trending' | 'map' | 'following' | 'about';

export interface LayoutProps {
  title: string;
  description?: string | undefined;
  children: Child;
  /** Which header link is the current section. */
  section?: Section | undefined;
  /** Absolute URL of this page, for <link rel=canonical> and og:url. */
  canonical?: string | undefined;
  /** Open Graph type: 'website' for lists, 'article' for a paper. */
  ogType?: 'website' | 'article' | undefined;
  /** Load KaTeX's stylesheet: only pages that show rendered math need it. */
  math?: boolean | undefined;
  /** Prefilled search box. */
  query?: string | undefined;
  /** Feeds to announce; by default worked out from `canonical` (or `query`) by feeds/links.ts. */
  feeds?: FeedLink[] | undefined;
}

const SECTIONS: Array<[Section, string, string]> = [
  ['daily', '/papers', 'Daily'],
  ['new', '/papers/new', 'New'],
  ['weekly', '/papers/week', 'Weekly'],
  ['monthly', '/papers/month', 'Monthly'],
  ['trending', '/papers/trending', 'Trending'],
  ['map', '/map', 'Map'],
];

export function Layout(props: LayoutProps) {
  // The doctype keeps browsers out of quirks mode (HTML Living Standard §13.1.1); JSX cannot say it.
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          {props.description ? <meta name="description" content={props.description} /> : null}
          <meta name="color-scheme" content="light dark" />
          <meta property="og:site_name" content="dailypapers" />
          <meta property="og:title" content={props.title.replace(/ - dailypapers$/, '')} />
          <meta property="og:type" content={props.ogType ?? 'website'} />
          {props.description ? <meta property="og:description" content={props.description} /> : null}
          {props.canonical ? <meta property="og:url" content={props.canonical} /> : null}
          {props.canonical ? <link rel="canonical" href={props.canonical} /> : null}
          {(props.feeds ?? feedLinks(props.canonical, props.query)).map((f) => (
            <link rel="alternate" type={f.type} title={f.title} href={f.href} />
          ))}
          <meta name="twitter:card" content="summary" />
          <link rel="stylesheet" href={assetUrl('style.css')} />
          {props.math ? <link rel="stylesheet" href={assetUrl('katex.css')} /> : null}
          <script src={assetUrl('app.js')} defer></script>
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <div class="wrap">
              <a class="brand" href="/papers">
                daily<span>papers</span>
              </a>
              <nav class="sections" aria-label="Sections">
                {SECTIONS.map(([key, href, label]) => (
                  <a href={href} aria-current={props.section === key ? 'page' : undefined}>
                    {label}
                  </a>
                ))}
              </nav>
              <search class="search">
                <form action="/search" method="get">
                  <label class="visually-hidden" for="q">
                    Search papers
                  </label>
                  <input type="search" id="q" name="q" placeholder="Search papers" value={props.query ?? ''} />
                  <button class="btn" type="submit">
                    Search
                  </button>
                </form>
              </search>
              <AccountMenu />
            </div>
          </header>
          <main id="main" class="wrap">
            {props.children}
            {props.section && props.section !== 'about' ? <SubscribeBox /> : null}
          </main>
          <footer class="site-footer">
            <div class="wrap">
              dailypapers: papers from <a href="https://arxiv.org/">arXiv</a>, picked by people. <a href="/about">About, and how trending works</a>. Keys:{' '}
              <kbd>j</kbd>/<kbd>k</kbd> move between papers, <kbd>o</kbd> opens one.
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
