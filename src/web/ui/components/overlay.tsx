// A member's state laid over a shared page (web/cache.ts): the page is rendered once for visitors,
// and what differs for a member is replaced in its HTML: the account menu, the form token of every
// form, each upvote and save form (pressed or not), and each card of a paper the member hid (left out, with
// the HTML `hidden` attribute) or read (marked `read`). Each replacement renders the same component the
// page renders, for this member, so markup cannot drift between the two.
import type { Member } from '../../middleware/context.js';
import { ANONYMOUS, withMember } from '../../middleware/context.js';
import { AccountMenu } from './account.js';
import { SaveForm, UpvoteForm } from './card.js';

const render = (who: Member, node: { toString(): string | Promise<string> }): string => {
  const out = withMember(who, () => node.toString());
  if (typeof out !== 'string') throw new Error('overlay fragments render synchronously');
  return out;
};

let visitorMenu: string | undefined;
const UPVOTE_FORM = /<form class="upvote" method="post" action="\/papers\/([^"]+)\/upvote">[\s\S]*?<\/form>/g;
const SAVE_FORM = /<form class="save" method="post" action="\/papers\/([^"]+)\/save">[\s\S]*?<\/form>/g;
const EMPTY_TOKEN = 'name="csrf" value=""';
const PLACEHOLDER = 'paper-id-placeholder';
const CARD = /<article class="card" id="p-([^"]+)"/g;
/** A card's element id of a paper id (card.tsx: the slash of an old-style id becomes a dash). */
const cardId = (id: string) => id.replace('/', '-');

export function memberOverlay(html: string, who: Member): string {
  visitorMenu ??= render(ANONYMOUS, <AccountMenu />);
  const menu = render(who, <AccountMenu />);
  if (who.hidden?.size || who.read?.size) {
    const hidden = new Set([...(who.hidden ?? [])].map(cardId));
    const read = new Set([...(who.read ?? [])].map(cardId));
    html = html.replace(CARD, (whole, id: string) =>
      hidden.has(id) ? `${whole} hidden` : read.has(id) ? `<article class="card read" id="p-${id}" data-read="true"` : whole,
    );
  }
  // The member's two upvote forms, rendered once with a placeholder id: a list of 50 cards costs
  // 50 string replacements, not 50 renders.
  const pressed = render(who, <UpvoteForm id={PLACEHOLDER} upvoted={true} />);
  const unpressed = render(who, <UpvoteForm id={PLACEHOLDER} upvoted={false} />);
  const saved = render(who, <SaveForm id={PLACEHOLDER} saved={true} />);
  const unsaved = render(who, <SaveForm id={PLACEHOLDER} saved={false} />);
  return html
    .replace(visitorMenu, () => menu)
    .replace(UPVOTE_FORM, (_, id: string) => (who.voted.has(id) ? pressed : unpressed).replaceAll(PLACEHOLDER, id))
    .replace(SAVE_FORM, (_, id: string) => (who.saved?.has(id) ? saved : unsaved).replaceAll(PLACEHOLDER, id))
    .replaceAll(EMPTY_TOKEN, () => `name="csrf" value="${who.csrf}"`);
}

/** What the overlay shows of a member, for their page's ETag. */
export const overlayTag = (who: Member) =>
  `${who.user?.id}|${who.user?.username}|${who.user?.role}|${who.csrf}|${[...who.voted].sort().join(',')}|${[...(who.hidden ?? [])].sort().join(',')}|${[...(who.read ?? [])].sort().join(',')}|${[...(who.saved ?? [])].sort().join(',')}`;
