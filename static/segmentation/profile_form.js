// Segment profile form: rows of the attribute table are added from the formset's empty form.
(() => {
  "use strict";
  if (!document.getElementById("attribute-rows")) return;
  const total = document.getElementById("id_attributes-TOTAL_FORMS");
  const rows = document.getElementById("attribute-rows");
  const template = document.getElementById("attribute-row-template");
  document.getElementById("add-attribute").addEventListener("click", () => {
    const index = Number(total.value);
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    rows.lastElementChild.querySelector(".row-number").textContent = String(index + 1);
    total.value = String(index + 1);
  });
})();
