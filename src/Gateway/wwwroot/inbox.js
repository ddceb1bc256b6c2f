// Keeps the inbox's first page live: the participant's event stream says that something arrived, and the page itself
// renders what did (GET /inbox?handler=newer), so a live notice reads exactly like one that came with the page.
// Without this script, or without EventSource, the inbox is a plain page that a reload brings up to date.
(() => {
  'use strict';
  const list = document.getElementById('notices');
  if (!list || list.dataset.live !== 'true' || !('EventSource' in window)) {
    return;
  }

  let newest = Number(list.dataset.newest) || 0;
  let pending = Promise.resolve();

  const addNewer = async () => {
    const response = await fetch(`${list.dataset.newer}&after=${newest}`, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
    if (!response.ok) {
      return;
    }

    const template = document.createElement('template');
    template.innerHTML = await response.text();
    const items = [...template.content.querySelectorAll('li[data-sequence]')].filter(li => Number(li.dataset.sequence) > newest);
    if (items.length === 0) {
      return;
    }

    newest = Number(items[0].dataset.sequence);
    list.prepend(...items);
    document.getElementById('inbox-empty')?.remove();
    const upTo = document.querySelector('input[name=upTo]');
    if (upTo) {
      upTo.value = String(newest);
    }

    const unread = document.getElementById('unread');
    if (unread) {
      const count = Number(unread.dataset.count) + items.filter(li => li.classList.contains('unread')).length;
      unread.dataset.count = String(count);
      unread.textContent = count > 0 ? unread.dataset.format.replace('{0}', count.toLocaleString(document.documentElement.lang)) : '';
    }
  };

  // Notices are fetched one batch at a time, in order: two wake-ups close together never add an item twice.
  const wake = () => { pending = pending.then(addNewer, addNewer).catch(() => {}); };
  const events = new EventSource(`${list.dataset.events}?after=${newest}`);
  for (const kind of list.dataset.kinds.split(' ')) {
    events.addEventListener(kind, wake);
  }
})();
