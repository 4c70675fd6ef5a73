// Reports watched time of the course video in small signed heartbeats: every few seconds
// while it plays, the seconds actually played since the last report (seeking forward does
// not count). The server caps each report and the total (training.actions.attendance).
(function () {
  "use strict";
  var video = document.getElementById("course-video");
  if (!video) return;
  var every = (parseInt(video.dataset.every, 10) || 10) * 1000;
  var shown = document.getElementById("watched");
  var played = 0;
  var last = null;

  video.addEventListener("timeupdate", function () {
    var now = video.currentTime;
    if (last !== null && !video.seeking) {
      var step = now - last;
      if (step > 0 && step < 2) played += step; // a jump is a seek, not watching
    }
    last = now;
  });
  video.addEventListener("seeking", function () { last = null; });

  function report(event) {
    // At the end, the last fraction of a second counts too (timeupdate stops short of it).
    var seconds = event && event.type === "ended" ? Math.ceil(played - 0.001) : Math.floor(played);
    if (seconds <= 0) return;
    played = Math.max(0, played - seconds);
    fetch(video.dataset.beatUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": video.dataset.csrf },
      body: JSON.stringify({ token: video.dataset.token, seconds: seconds })
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (shown && typeof data.watched === "number") shown.textContent = String(data.watched);
      if (data.credited) {
        var credited = document.querySelector("[data-testid=credited]");
        if (credited && video.dataset.done) credited.textContent = video.dataset.done;
      }
    }).catch(function () { played += seconds; });
  }
  setInterval(function () { report(null); }, every);
  video.addEventListener("pause", report);
  video.addEventListener("ended", report);
})();
