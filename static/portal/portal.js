// Behaviour every page shares. It lives in a static file because the Content-Security-Policy
// allows no inline scripts, no on…= handlers and no style="" attributes.
(function () {
  "use strict";

  // Bars whose width the server computes per row: data-bar-width="42.50" (per cent).
  // Setting the style from a script is allowed; a style attribute in the markup is not.
  document.querySelectorAll("[data-bar-width]").forEach((el) => {
    const percent = Number(el.dataset.barWidth);
    el.style.width = `${Number.isFinite(percent) ? percent : 0}%`;
  });

  // A button that asks first: data-confirm="the question".
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });

  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });

  // A read-only address selected in one click, ready to copy.
  document.querySelectorAll("[data-select-on-click]").forEach((input) => {
    input.addEventListener("click", () => input.select());
  });
})();
