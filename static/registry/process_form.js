// Registry row form: the typical-process list follows the chosen group without a reload,
// the non-typical choice switches column 7 to free text, and column 12 rows can be added.
(function () {
  "use strict";
  const form = document.getElementById("process-form");
  if (!form) return;

  const options = JSON.parse(document.getElementById("typical-options").textContent);
  const group = document.getElementById("id_group");
  const typical = document.getElementById("id_typical_process");
  const nonTypical = document.getElementById("id_is_non_typical");

  function fillTypical() {
    const chosen = typical.value;
    const groupId = group.value ? Number(group.value) : null;
    typical.replaceChildren(new Option("---------", ""));
    options
      .filter((o) => groupId === null || o.group === groupId)
      .forEach((o) => typical.add(new Option(o.label, o.id, false, String(o.id) === chosen)));
  }

  function syncGroupFromTypical() {
    // A typical process chosen first sets its group.
    const option = options.find((o) => String(o.id) === typical.value);
    if (option && String(option.group) !== group.value) {
      group.value = option.group;
    }
  }

  function toggleNonTypical() {
    const on = nonTypical.checked;
    form.querySelectorAll(".typical-only").forEach((el) => el.classList.toggle("d-none", on));
    form.querySelectorAll(".non-typical-only").forEach((el) => el.classList.toggle("d-none", !on));
  }

  group.addEventListener("change", fillTypical);
  typical.addEventListener("change", syncGroupFromTypical);
  nonTypical.addEventListener("change", toggleNonTypical);
  fillTypical();
  toggleNonTypical();

  // Column 12: add a row from the formset's empty form.
  const total = document.getElementById("id_links-TOTAL_FORMS");
  const rows = document.getElementById("link-rows");
  const template = document.getElementById("link-row-template");
  document.getElementById("add-link").addEventListener("click", () => {
    const index = Number(total.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const authority = rows.querySelector(`#id_links-${index}-target_authority`);
    if (authority && form.dataset.defaultLinkAuthority) authority.value = form.dataset.defaultLinkAuthority;
  });
  rows.querySelectorAll("select[name$='target_authority']").forEach((select) => {
    if (!select.value && form.dataset.defaultLinkAuthority) select.value = form.dataset.defaultLinkAuthority;
  });

  // Suggest identifiers of the chosen authority's rows while typing.
  const datalist = document.getElementById("link-targets");
  let pending = null;
  rows.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.classList.contains("link-target-identifier")) return;
    input.setAttribute("list", "link-targets");
    const authority = input.closest("tr").querySelector("select[name$='target_authority']");
    if (!authority || !authority.value) return;
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const url = `${form.dataset.linkTargetsUrl}?authority=${authority.value}&q=${encodeURIComponent(input.value)}`;
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      datalist.replaceChildren(
        ...data.results.map((r) => new Option(`${r.identifier}. ${r.name} — ${r.function_name}`, r.identifier))
      );
    }, 250);
  });
})();
