// The two mails the subscribe form can cause, as pure functions: the opt-in link for a new (or not
// yet active) address, and a note to an address that is already subscribed. The form answers the
// same page in both cases, so only the mailbox's owner learns which it was.
import { describeChoices } from './render.js';
import type { Choices } from '../store/subscriptions.js';

export interface SimpleMail {
  subject: string;
  text: string;
}

export function confirmationMail(confirmLink: string, choices: Choices): SimpleMail {
  return {
    subject: 'Confirm your dailypapers digest',
    text: [
      'Someone, hopefully you, asked for dailypapers digests at this address',
      `(${describeChoices(choices)}).`,
      '',
      'To start receiving them, open this link and press "Confirm" (it works for 7 days):',
      confirmLink,
      '',
      'If it was not you, ignore this message: nothing will be sent.',
      '',
    ].join('\n'),
  };
}

export function alreadySubscribedMail(manageLink: string, choices: Choices): SimpleMail {
  return {
    subject: 'You are already subscribed to dailypapers digests',
    text: [
      'Someone, hopefully you, asked again for dailypapers digests at this address.',
      `It is already subscribed (${describeChoices(choices)}); nothing has changed.`,
      '',
      'To unsubscribe or switch between daily and weekly:',
      manageLink,
      '',
    ].join('\n'),
  };
}
