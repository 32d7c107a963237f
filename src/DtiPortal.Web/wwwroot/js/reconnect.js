// The Vietnamese reconnect dialog (Components/Layout/ReconnectModal.razor), driven by the .NET 10 blazor.web.js event
// 'components-reconnect-state-changed' as in the .NET 10 template: show/hide while reconnecting; after the retries
// ('failed') a button retries, and on returning to the tab it retries by itself; when the server no longer holds the
// circuit ('rejected': the retention period passed or the server restarted) the circuit is resumed from its persisted
// state, else the page reloads. Nothing typed is lost either way: see dti.drafts below.
(() => {
  const modal = document.getElementById('components-reconnect-modal');
  if (!modal) return;

  const setState = state => { modal.dataset.state = state; };

  const retryWhenVisible = async () => {
    if (document.visibilityState === 'visible') await retry();
  };

  async function resume() {
    try {
      if (await Blazor.resumeCircuit()) { modal.close(); setState(''); return; }
    } catch { /* fall through: a fresh page */ }
    location.reload();
  }

  async function retry() {
    document.removeEventListener('visibilitychange', retryWhenVisible);
    try {
      if (await Blazor.reconnect()) return;
      await resume(); // the server no longer has the circuit: resume it from its persisted state
    } catch {
      document.addEventListener('visibilitychange', retryWhenVisible);
    }
  }

  modal.addEventListener('components-reconnect-state-changed', e => {
    const state = e.detail.state;
    setState(state);
    if (state === 'show' || state === 'retrying' || state === 'paused') {
      if (!modal.open) modal.showModal();
    } else if (state === 'hide') {
      if (modal.open) modal.close();
      // Back on the same circuit: what was typed while it was away never reached it; send it again.
      window.dti?.drafts?.resend();
    } else if (state === 'failed') {
      if (!modal.open) modal.showModal();
      document.addEventListener('visibilitychange', retryWhenVisible);
    } else if (state === 'rejected' || state === 'resume-failed') {
      resume();
    }
  });
  document.getElementById('components-reconnect-button')?.addEventListener('click', retry);
  document.getElementById('components-resume-button')?.addEventListener('click', resume);
})();

// Called by MainLayout on its first interactive render: marks the page as live (used by browser tests
// and by CSS that hides controls until they work).
window.dti = window.dti || {};
window.dti.circuitUp = () => {
  window.__dtiCircuitUp = true;
  document.documentElement.dataset.interactive = 'true';
};

// The page's title in a circuit (DocumentTitle.razor): prerendered pages already have it in <title>.
window.dti.setTitle = title => {
  document.title = title;
};

// Unsaved input kept in the browser (the entry page's autosave, EntryForm): every keystroke in a field marked
// data-draft-key is written to localStorage at once, in the browser, so it survives a lost connection, an evicted
// circuit or a restarted server even when the server never received it. The key names the assessment and the field;
// the value keeps the version the text was typed against. The page replays what it finds through the normal save
// (with the version check: a value someone else saved meanwhile becomes a conflict, never an overwrite) and clears
// each entry once the server has the text.
window.dti.drafts = (() => {
  const prefix = 'dti-draft:';
  const keyOf = (assessment, address) => `${prefix}${assessment}:${address}`;
  const record = el => {
    const key = el.dataset.draftKey;
    if (!key) return;
    const text = el.type === 'radio' ? el.value : el.value ?? '';
    try {
      localStorage.setItem(prefix + key, JSON.stringify({ text, version: Number(el.dataset.draftVersion || 0), at: Date.now() }));
    } catch { /* storage full or disabled: the autosave still runs */ }
  };
  document.addEventListener('input', e => record(e.target), true);
  document.addEventListener('change', e => { if (e.target?.type === 'radio') record(e.target); }, true);
  return {
    /** The drafts of one assessment: [{ address, text, version }]. */
    list: assessment => {
      const start = `${prefix}${assessment}:`;
      const found = [];
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (!key?.startsWith(start)) continue;
        try {
          const d = JSON.parse(localStorage.getItem(key));
          found.push({ address: key.substring(start.length), text: String(d.text ?? ''), version: Number(d.version || 0) });
        } catch { localStorage.removeItem(key); }
      }
      return found;
    },
    /** Sends the kept text of the fields on this page again as ordinary input (after reconnecting to the same circuit). */
    resend: () => {
      document.querySelectorAll('[data-draft-key]').forEach(el => {
        const raw = localStorage.getItem(prefix + el.dataset.draftKey);
        if (!raw) return;
        try {
          const d = JSON.parse(raw);
          if (el.type === 'radio') {
            if (el.value !== String(d.text)) return;
            el.checked = true;
            el.dispatchEvent(new Event('change', { bubbles: true }));
          } else {
            el.value = String(d.text ?? '');
            el.dispatchEvent(new Event('input', { bubbles: true }));
          }
        } catch { /* unreadable: replayed or dropped on the next page load */ }
      });
    },
    /** The server has the field's text (or the user took someone else's value): forget the draft, unless it is newer. */
    clear: (assessment, address, savedText) => {
      const key = keyOf(assessment, address);
      try {
        const d = JSON.parse(localStorage.getItem(key));
        if (d && String(d.text ?? '') !== String(savedText ?? '')) return; // typed on since: keep the newer text
      } catch { /* unreadable: drop it */ }
      localStorage.removeItem(key);
    },
  };
})();
