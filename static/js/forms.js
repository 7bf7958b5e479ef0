// A second click on a form that is being sent does nothing; the server refuses a second
// submission anyway, this only spares the user the wait.
document.querySelectorAll("form.prevent-double-submit").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    form.querySelectorAll("button[type=submit]").forEach((button) => button.setAttribute("aria-disabled", "true"));
  });
});
// Move focus to the error summary so that screen readers announce it.
const summary = document.getElementById("feilsammendrag");
if (summary) summary.focus();
// A link to something folded away in a disclosure (<details>) opens it, so that the link
// lands where it says: the table of criteria links to each criterion's explanation.
function openLinkedDisclosure() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id ? document.getElementById(id) : null;
  const folded = target ? target.closest("details:not([open])") : null;
  if (folded) {
    folded.open = true;
    target.scrollIntoView();
  }
}
window.addEventListener("hashchange", openLinkedDisclosure);
openLinkedDisclosure();
