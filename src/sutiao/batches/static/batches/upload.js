// The batch upload with a progress bar: the files' upload as it goes, then "creating" while
// the server makes the applications; without script the form posts as any other.
(function () {
  "use strict";
  var form = document.getElementById("batch-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var bar = document.getElementById("batch-progress");
  var text = document.getElementById("batch-progress-text");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    bar.hidden = false; text.hidden = false;
    text.textContent = text.dataset.sending;
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 90);
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 90; text.textContent = text.dataset.working;
    });
    xhr.addEventListener("load", function () {
      bar.value = 100;
      if (xhr.responseURL && xhr.responseURL !== window.location.href) {
        window.location.assign(xhr.responseURL);
      } else {
        document.open(); document.write(xhr.responseText); document.close();
      }
    });
    xhr.open("POST", form.action || window.location.href);
    xhr.send(new FormData(form));
  });
})();
