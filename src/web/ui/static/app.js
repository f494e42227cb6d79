// Small progressive enhancements; every page works without this file.
// 1. j / k move between paper cards, o (or Enter on a card) opens the current one.
// 2. An upvote form (POST /papers/ID/upvote) is sent without a reload when it exists.
// 3. "Not interested" (POST /papers/ID/hide) hides the card at once; a member's paper page marks
//    the paper read in the background (its form.mark-read[data-auto]).
// 4. "Save" (POST /papers/ID/save, or /unsave once saved) adds to the library without a reload,
//    and the form becomes its opposite.
// 5. The BibTeX "Copy" button copies. (The date picker keeps its Go button: submitting on
//    change would fire on every keystroke of a keyboard user.)
(() => {
  'use strict';
  const cards = () => Array.from(document.querySelectorAll('.card'));
  let current = -1;

  function select(i) {
    const list = cards();
    if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, i));
    list.forEach((c, j) => {
      c.classList.toggle('current', j === current);
    });
    const link = list[current].querySelector('h2 a');
    if (link) link.focus({ preventScroll: true });
    list[current].scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    const t = e.target;
    if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === 'j') select(current + 1);
    else if (e.key === 'k') select(current - 1);
    else if (e.key === 'o' && current >= 0) {
      const link = cards()[current]?.querySelector('h2 a');
      if (link) location.href = link.href;
    } else return;
    e.preventDefault();
  });

  document.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('form.upvote')) return;
    e.preventDefault();
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    try {
      const res = await fetch(form.action, { method: 'POST', body: new FormData(form), headers: { accept: 'application/json' } });
      if (res.status === 401) {
        location.href = '/login?next=' + encodeURIComponent(location.pathname);
        return;
      }
      if (!res.ok) throw new Error(String(res.status));
      const data = await res.json();
      const box = form.closest('.votes');
      const n = box?.querySelector('.n');
      if (n && typeof data.upvotes === 'number') n.textContent = String(data.upvotes);
      if (button && typeof data.upvoted === 'boolean') button.setAttribute('aria-pressed', String(data.upvoted));
    } catch {
      form.submit(); // fall back to the plain POST, which reports the error as a page
    } finally {
      if (button) button.disabled = false;
    }
  });

  document.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('form.hide')) return;
    e.preventDefault();
    try {
      const res = await fetch(form.action, { method: 'POST', body: new FormData(form), headers: { accept: 'application/json' } });
      if (res.status === 401 || res.status === 403) {
        location.href = '/login?next=' + encodeURIComponent(location.pathname);
        return;
      }
      if (!res.ok) throw new Error(String(res.status));
      const card = form.closest('.card');
      if (card) card.hidden = true;
    } catch {
      form.submit();
    }
  });

  document.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('form.save')) return;
    e.preventDefault();
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    try {
      const res = await fetch(form.action, { method: 'POST', body: new FormData(form), headers: { accept: 'application/json' } });
      if (res.status === 401 || res.status === 403) {
        location.href = '/login?next=' + encodeURIComponent(location.pathname);
        return;
      }
      if (!res.ok) throw new Error(String(res.status));
      const data = await res.json();
      if (typeof data.saved !== 'boolean') throw new Error('unexpected answer');
      form.action = form.action.replace(/\/(un)?save$/, data.saved ? '/unsave' : '/save');
      if (button) {
        button.setAttribute('aria-pressed', String(data.saved));
        button.textContent = data.saved ? 'Saved' : 'Save';
        button.title = data.saved ? 'In your library: remove it' : 'Save to your library';
      }
    } catch {
      form.submit();
    } finally {
      if (button) button.disabled = false;
    }
  });

  const read = document.querySelector('form.mark-read[data-auto]');
  if (read instanceof HTMLFormElement) {
    fetch(read.action, { method: 'POST', body: new FormData(read), headers: { accept: 'application/json' } }).catch(() => {});
  }

  document.querySelectorAll('button[data-copy]').forEach((button) => {
    const source = document.querySelector(button.getAttribute('data-copy'));
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener('click', async () => {
      await navigator.clipboard.writeText(source.textContent || '');
      button.textContent = 'Copied';
      setTimeout(() => {
        button.textContent = 'Copy';
      }, 1500);
    });
  });
})();
