// Progress of an import or export job: poll its status and reload the page when it is done.
(function () {
  var box = document.querySelector(".job-progress");
  if (!box) return;
  var bar = box.querySelector("progress");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        bar.value = job.progress;
        bar.textContent = job.progress + "%";
        if (job.running) { setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
