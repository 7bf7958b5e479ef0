// A live count under every text area with a limit: "N av M tegn", and by how much it is over.
// The count is shown at once and told to screen readers when the typing pauses. The texts come
// from the page (data-count-text, data-over-text), so they are in the page's language; the
// server checks the limit in any case, and without this script the help text states it.
(() => {
  const numbers = new Intl.NumberFormat(document.documentElement.lang || "nb");
  const fill = (text, values) =>
    text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? numbers.format(values[name]) : whole));

  document.querySelectorAll("textarea[data-maxlength]").forEach((area) => {
    const limit = Number(area.dataset.maxlength);
    const visible = document.createElement("div");
    visible.className = "form-text character-count";
    visible.id = `${area.id}-tegn`;
    visible.setAttribute("aria-hidden", "true");
    const spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", visible);
    visible.insertAdjacentElement("afterend", spoken);

    // The count is part of the field's description too, read when the field gets focus.
    const describedBy = (area.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    area.setAttribute("aria-describedby", [...describedBy, visible.id].join(" "));

    let pause;
    const update = (announce) => {
      // Characters as the server counts them: a line break is one, an emoji is one.
      const count = [...area.value].length;
      const over = count - limit;
      const text = fill(over > 0 ? area.dataset.overText : area.dataset.countText, {
        count,
        limit,
        over,
      });
      visible.textContent = text;
      visible.classList.toggle("text-danger", over > 0);
      visible.classList.toggle("fw-semibold", over > 0);
      if (announce) {
        clearTimeout(pause);
        pause = setTimeout(() => {
          spoken.textContent = text;
        }, 800);
      }
    };
    area.addEventListener("input", () => update(true));
    update(false);
  });
})();
