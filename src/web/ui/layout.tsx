// The page shell shared by every page. Deliberately plain until the pages issue brings the design.
import type { Child } from 'hono/jsx';

export function Layout(props: { title: string; description?: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        <style>{`body{font-family:system-ui,sans-serif;max-width:50rem;margin:0 auto;padding:1rem;line-height:1.5}
li{margin-bottom:.75rem}.meta{color:#555;font-size:.9rem}code{background:#f3f3f3;padding:0 .25rem}`}</style>
      </head>
      <body>
        <header><a href="/papers"><strong>dailypapers</strong></a></header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
