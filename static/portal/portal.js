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

  // Long work shows that it is under way (issue 14). Progressive: without this script
  // every form posts and every link downloads as before.
  const WAIT_TEXT = "Подождите…";
  const MB = 1024 * 1024;
  const megabytes = (bytes) => (bytes / MB).toLocaleString("ru-RU", { maximumFractionDigits: 1 });

  const submitButtons = (form) =>
    form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');

  const setLabel = (button, text) => {
    if (button.tagName === "INPUT") button.value = text;
    else button.textContent = text;
  };

  // Every POST form's buttons are disabled after the first submit, the pressed one reading
  // «Подождите…» (data-wait-text for its own words): no second submit of the same form.
  const hold = (form, submitter) => {
    form.dataset.submitting = "1";
    form.querySelectorAll("input[data-submitter-copy]").forEach((input) => input.remove());
    if (submitter && submitter.name) {
      // A disabled button is not sent: its name and value (e.g. action=load) go as a copy.
      const copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = submitter.name;
      copy.value = submitter.value;
      copy.dataset.submitterCopy = "";
      form.appendChild(copy);
    }
    const pressed = submitter || submitButtons(form)[0];
    submitButtons(form).forEach((button) => {
      button.disabled = true;
      if (button === pressed) {
        button.dataset.label = button.tagName === "INPUT" ? button.value : button.textContent;
        setLabel(button, button.dataset.waitText || WAIT_TEXT);
        button.setAttribute("aria-busy", "true");
      }
    });
  };

  const release = (form) => {
    delete form.dataset.submitting;
    submitButtons(form).forEach((button) => {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      if (button.dataset.label !== undefined) {
        setLabel(button, button.dataset.label);
        delete button.dataset.label;
      }
    });
  };

  // The bar of a file being sent, under the form's buttons.
  const uploadBar = (form, submitter) => {
    const box = document.createElement("div");
    box.className = "mt-2";
    box.dataset.testid = "upload-progress";
    box.innerHTML =
      '<div class="progress" role="progressbar" aria-label="Отправка файла" aria-valuemin="0" ' +
      'aria-valuemax="100" aria-valuenow="0"><div class="progress-bar progress-bar-striped ' +
      'progress-bar-animated">0 %</div></div><div class="small text-muted mt-1" ' +
      'aria-live="polite">Файл отправляется…</div>';
    const button = submitter || submitButtons(form)[0];
    // Below the row of buttons when they have one of their own inside the form.
    const row = button && button.parentElement;
    if (!button) form.appendChild(box);
    else (row && row !== form && form.contains(row) ? row : button).after(box);
    const meter = box.querySelector(".progress");
    const bar = box.querySelector(".progress-bar");
    const note = box.querySelector("[aria-live]");
    return {
      sent(loaded, total) {
        const percent = Math.min(100, Math.floor((loaded * 100) / total));
        meter.setAttribute("aria-valuenow", String(percent));
        bar.style.width = `${percent}%`;
        bar.textContent = `${percent} %`;
        note.textContent = `Отправлено ${megabytes(loaded)} из ${megabytes(total)} МБ`;
      },
      received() {
        bar.style.width = "100%";
        bar.textContent = "100 %";
        meter.setAttribute("aria-valuenow", "100");
        note.textContent = "Файл отправлен, идет проверка…";
      },
      failed(text) {
        bar.classList.remove("progress-bar-animated", "progress-bar-striped");
        bar.classList.add("bg-danger");
        note.textContent = text;
        note.classList.replace("text-muted", "text-danger");
      },
    };
  };

  // A form with a file is sent by XMLHttpRequest for its upload progress; the answer (the
  // next page, or the form with its errors) replaces this page as a normal submit would.
  const upload = (form, submitter) => {
    const bar = uploadBar(form, submitter);
    const xhr = new XMLHttpRequest();
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) bar.sent(event.loaded, event.total);
    });
    xhr.upload.addEventListener("load", () => bar.received());
    xhr.addEventListener("load", () => {
      const type = xhr.getResponseHeader("Content-Type") || "";
      if (!type.startsWith("text/html")) {
        window.location.assign(xhr.responseURL || window.location.href);
        return;
      }
      if (xhr.responseURL && xhr.responseURL !== window.location.href) {
        window.history.replaceState(null, "", xhr.responseURL);
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", () => {
      bar.failed("Файл не отправлен: нет связи с порталом. Проверьте подключение и отправьте снова.");
      release(form);
    });
    xhr.open("POST", form.action);
    xhr.send(new FormData(form));
  };

  const hasFile = (form) =>
    Array.from(form.querySelectorAll('input[type="file"]')).some((input) => input.files.length);

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || form.method !== "post" || "noWait" in form.dataset) return;
    if (form.dataset.submitting === "1") {
      event.preventDefault();
      return;
    }
    hold(form, event.submitter);
    if (form.enctype === "multipart/form-data" && hasFile(form) && window.FormData) {
      event.preventDefault();
      upload(form, event.submitter);
    }
  });

  // Back to a page kept in the browser's cache: its forms can be sent again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) document.querySelectorAll("form[data-submitting]").forEach(release);
  });

  // An export link: the file is asked for in the background while the link says it is being
  // prepared, then saved; a large export answers with its job's page, which opens instead.
  const fileName = (disposition) => {
    const encoded = /filename\*=(?:UTF-8|utf-8)''([^;]+)/.exec(disposition || "");
    if (encoded) return decodeURIComponent(encoded[1]);
    const plain = /filename="?([^";]+)"?/.exec(disposition || "");
    return plain ? plain[1] : "выгрузка.xlsx";
  };

  document.addEventListener("click", (event) => {
    const link = event.target.closest('a[href*="export="]');
    if (!link || event.defaultPrevented || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (!window.fetch || !window.URL || !URL.createObjectURL) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    const label = link.textContent;
    link.setAttribute("aria-busy", "true");
    link.classList.add("disabled");
    link.textContent = "Файл готовится…";
    const done = (text) => {
      link.textContent = text || label;
      link.removeAttribute("aria-busy");
      link.classList.remove("disabled");
    };
    fetch(link.href, { credentials: "same-origin" })
      .then((response) => {
        const type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.startsWith("text/html")) {
          window.location.assign(response.url || link.href); // a job's page, or the error
          return null;
        }
        return response.blob().then((blob) => {
          const save = document.createElement("a");
          save.href = URL.createObjectURL(blob);
          save.download = fileName(response.headers.get("Content-Disposition"));
          document.body.appendChild(save);
          save.click();
          save.remove();
          window.setTimeout(() => URL.revokeObjectURL(save.href), 60000);
          done();
        });
      })
      .catch(() => {
        done();
        window.location.assign(link.href); // the browser's own download, as without script
      });
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
          // Signed out meanwhile (the status answered with the login page), or the session is
          // to be refreshed at the identity provider (portal.oidc: 403 with refresh_url): the
          // page itself goes there.
          if (response.redirected || response.headers.has("refresh_url")) window.location.reload();
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
