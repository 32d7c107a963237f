// ADR-001: the 9.0 blazor.web.js we ship does not raise the .NET 10 'components-reconnect-state-changed'
// event, but it still sets classes on #components-reconnect-modal. Open/close the <dialog> from those classes.
(() => {
  const modal = document.getElementById('components-reconnect-modal');
  if (!modal) return;
  const states = ['components-reconnect-show', 'components-reconnect-failed', 'components-reconnect-rejected', 'components-reconnect-hide'];
  const sync = () => {
    const cls = modal.classList;
    const visible = cls.contains('components-reconnect-show') || cls.contains('components-reconnect-failed') || cls.contains('components-reconnect-rejected');
    modal.dataset.state = states.find(s => cls.contains(s)) || '';
    if (visible && !modal.open) modal.showModal();
    if (!visible && modal.open) modal.close();
    if (cls.contains('components-reconnect-rejected')) location.reload();
  };
  new MutationObserver(sync).observe(modal, { attributes: true, attributeFilter: ['class'] });
  document.getElementById('components-reconnect-button')?.addEventListener('click', async () => {
    try {
      const ok = await Blazor.reconnect();
      if (!ok) location.reload();
    } catch { location.reload(); }
  });
  document.getElementById('components-reload-button')?.addEventListener('click', () => location.reload());
})();

// Called by MainLayout on its first interactive render: marks the page as live (used by browser tests
// and by CSS that hides controls until they work).
window.dti = window.dti || {};
window.dti.circuitUp = () => {
  window.__dtiCircuitUp = true;
  document.documentElement.dataset.interactive = 'true';
};
