// The member's bits of the page shell: the header's account menu and the hidden CSRF field every
// POST form carries. Kept apart from members/kit.tsx, which builds on the layout that shows them.
import { currentMember, isStaff } from '../../middleware/context.js';

/** The hidden field every POST form carries. */
export function CsrfField() {
  return <input type="hidden" name="csrf" value={currentMember().csrf} />;
}

/** The header's account links: log in and sign up, or the member's name, settings and log out. */
export function AccountMenu() {
  const { user } = currentMember();
  if (!user) {
    return (
      <nav class="account" aria-label="Account">
        <a href="/login">Log in</a> <a href="/signup">Sign up</a>
      </nav>
    );
  }
  return (
    <nav class="account" aria-label="Account">
      <a href="/for-you">For you</a> <a href="/following">Following</a> <a href="/library">Library</a> <a href="/submit">Submit</a>{' '}
      <a href={`/users/${user.username}`}>{user.username}</a> <a href="/settings">Settings</a>
      {isStaff(user) ? (
        <>
          {' '}
          <a href="/admin">Admin</a>
        </>
      ) : null}
      <form method="post" action="/logout" class="inline">
        <CsrfField />
        <button class="linklike" type="submit">
          Log out
        </button>
      </form>
    </nav>
  );
}
