// Progress of an import or export job: poll its status and, when it is done, reload the page,
// or for an export download its file (the page stays and says so). An export not yet started
// is started from here, so that the page shows at once however the job runs (by the worker,
// or within the start request where Celery runs in-process).
(function () {
  var box = document.querySelector(".job-progress");
  if (!box) return;
  var bar = box.querySelector("progress");
  var finished = false;
  function finish(job) {
    if (finished) return;
    finished = true;
    var done = document.querySelector(".job-done");
    if (job.status === "done" && box.dataset.fileUrl && done) {
      box.hidden = true;
      done.hidden = false;
      window.location.assign(box.dataset.fileUrl);
    } else {
      window.location.reload();
    }
  }
  // Without a figure yet the bar is indeterminate (it moves without telling how far).
  function show(job) {
    if (job.progress > 0) {
      bar.value = job.progress;
      bar.textContent = job.progress + "%";
    }
  }
  function poll() {
    if (finished) return;
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        show(job);
        if (job.running) { setTimeout(poll, 1000); } else { finish(job); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (box.dataset.startUrl) {
    fetch(box.dataset.startUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": box.dataset.csrf, Accept: "application/json" },
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) { if (job && !job.running) { show(job); finish(job); } })
      .catch(function () {});
  }
  setTimeout(poll, 500);
})();
