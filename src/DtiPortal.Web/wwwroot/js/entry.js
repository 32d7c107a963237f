// The entry page's browser helpers (issue 15): keep the focused field clear of the sticky score bar, and focus a field by
// its address for "Đến ô chưa nhập tiếp theo".
window.dti = window.dti || {};

// The score bar's height as --score-bar-height on <html>: the stylesheet's scroll-padding-top and scroll-margin-top use it,
// so a field the browser scrolls to (tabbing, the next-empty button, a link to a criterion) stops below the bar, however
// tall the bar grows (the main indices, the next level's gaps opened).
window.dti.watchScoreBar = () => {
  const bar = document.querySelector('.score-bar');
  if (!bar || bar.dataset.watched) return;
  bar.dataset.watched = 'true';
  const set = () => document.documentElement.style.setProperty('--score-bar-height', `${Math.ceil(bar.getBoundingClientRect().height)}px`);
  set();
  if (window.ResizeObserver) new ResizeObserver(set).observe(bar);
};

// Focuses the field of an address ("1.3.a", "general:1.4") and scrolls it to the middle of the window. False when the
// field is not on the page (its section is closed).
window.dti.focusField = address => {
  const box = document.querySelector(`[data-testid="field-${address}"]`);
  if (!box) return false;
  const input = box.querySelector('input:not([type=radio]), input[type=radio]:checked, input[type=radio], select, textarea');
  if (!input) return false;
  input.focus({ preventScroll: true });
  input.scrollIntoView({ block: 'center' });
  return true;
};
