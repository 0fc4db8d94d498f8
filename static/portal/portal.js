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

  // A job's progress (templates/portal/_job_progress.html): its status address is polled
  // until the job has finished; every 1 s, slowing to 5 s while nothing moves.
  document.querySelectorAll("[data-job-status]").forEach((box) => {
    if (box.dataset.jobFinished === "1") return;
    const field = (name) => box.querySelector(`[data-job-field="${name}"]`);
    const bar = box.querySelector("[data-job-bar]");
    let delay = 1000;
    let last = "";

    const show = (status) => {
      ["state_label", "percent", "progress_text", "summary", "message", "file_name"].forEach(
        (name) => {
          const el = field(name);
          if (el) el.textContent = status[name] ?? "";
        },
      );
      field("summary").hidden = !status.summary;
      field("message").hidden = !status.message;
      box.querySelector("[data-job-queued]").hidden = status.state !== "queued";
      box.querySelector("[data-job-progress]").setAttribute("aria-valuenow", status.percent);
      bar.style.width = `${status.percent}%`;
      bar.classList.toggle("progress-bar-striped", status.state === "running");
      bar.classList.toggle("progress-bar-animated", status.state === "running");
      bar.classList.toggle("bg-success", status.state === "done");
      bar.classList.toggle("bg-danger", status.state === "failed");
      const download = box.querySelector("[data-job-download]");
      download.hidden = !status.download_url;
      if (status.download_url) box.querySelector("[data-job-link]").href = status.download_url;
    };

    const poll = () => {
      fetch(box.dataset.jobStatus, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => {
          // Signed out meanwhile (the status answered with the login page): show that page.
          if (response.redirected) window.location.reload();
          return response.ok ? response.json() : Promise.reject(response.status);
        })
        .then((status) => {
          const seen = `${status.state} ${status.done} ${status.total}`;
          delay = seen === last ? Math.min(delay * 1.5, 5000) : 1000;
          last = seen;
          show(status);
          box.dataset.jobFinished = status.finished ? "1" : "0";
          if (!status.finished) window.setTimeout(poll, delay);
        })
        .catch((error) => {
          if (typeof error === "number" && error < 500) return; // the job is not the user's
          delay = Math.min(delay * 2, 10000); // the server restarting, a lost connection
          window.setTimeout(poll, delay);
        });
    };
    window.setTimeout(poll, delay);
  });
})();
