// The optional reason every moderation form carries. It is shown on the public /moderation log
// (and with the moderator's name in the admin's), so the field says so.
import { MAX_REASON } from '../../../members/moderation.js';

const PUBLIC = 'Reason (optional; shown on the public moderation log)';

/** Beside a button in a row of actions: a small field labelled for screen readers by aria-label. */
export function InlineReason() {
  return <input class="reason" name="reason" maxlength={MAX_REASON} placeholder="reason (optional, public)" aria-label={PUBLIC} />;
}

/** In a stacked form: a labelled field. */
export function ReasonField(props: { id: string }) {
  return (
    <>
      <label for={props.id}>{PUBLIC}</label>
      <input id={props.id} name="reason" maxlength={MAX_REASON} />
    </>
  );
}
