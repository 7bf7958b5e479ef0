// While a batch of letters or an archive extract is being made, reload the page when the count
// changes, at most every five seconds; the status region is announced politely to screen readers.
const region = document.getElementById("framdrift");
if (region && !region.dataset.finished) {
  let last = null;
  const poll = () =>
    fetch(region.dataset.url, { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((progress) => {
        const key = `${progress.done}/${progress.failed}/${progress.sent}/${progress.finished}`;
        if (last !== null && key !== last) window.location.reload();
        last = key;
        if (!progress.finished) setTimeout(poll, 5000);
        else window.location.reload();
      })
      .catch(() => {});
  setTimeout(poll, 5000);
}
