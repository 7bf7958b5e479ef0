// Narrows a long list of checkboxes to those whose label matches the search field.
// Checked boxes always stay visible, so nothing chosen is hidden. Without JavaScript the
// whole list is shown.
document.querySelectorAll("input.unit-search").forEach((search) => {
  const list = document.getElementById(search.dataset.target);
  if (!list) return;
  const status = document.createElement("p");
  status.className = "form-text";
  status.setAttribute("role", "status");
  search.insertAdjacentElement("afterend", status);
  search.addEventListener("input", () => {
    const term = search.value.trim().toLocaleLowerCase("nb");
    let shown = 0;
    list.querySelectorAll(".form-check").forEach((item) => {
      const box = item.querySelector("input");
      const match = !term || item.textContent.toLocaleLowerCase("nb").includes(term) || box.checked;
      item.hidden = !match;
      if (match) shown += 1;
    });
    status.textContent = term ? `${shown} ${search.dataset.found || ""}`.trim() : "";
  });
});
