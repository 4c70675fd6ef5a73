// Sharing in the room (loaded before room.js, which attaches it):
// - the screen: getDisplayMedia's track is sent instead of the camera's on every peer
//   (replaceTrack), and the camera again when the share stops, from the page or from the
//   browser's own "stop sharing" (the track ends);
// - a document of the case file: the server checks it (sharing.share_document) and tells the
//   room; every page shows the page the sharer is on, as an image served to each one through
//   the case file's own access check (/meetings/case/<case>/files/<file>/?page=N).
// In a separate talk the server relays a share to the sharer's side only.
(function () {
  "use strict";
  const el = (id) => document.getElementById(id);
  let room = null; // {me, send, useTrack, videoTrack, apart}
  let camera = null; // the camera's track while the screen is sent instead
  let screen = null; // the screen's track, while shared
  let doc = null; // the document shown in the room: the server's `share` message
  let screenOf = null; // who shares a screen: {from, sharer}

  function label(name, key) {
    return (el("share-notice").dataset[key + "Label"] || "%s").replace("%s", name);
  }

  function notice() {
    const lines = [];
    if (screenOf) lines.push(label(screenOf.sharer, "screen"));
    if (doc) lines.push(label(doc.sharer, "document"));
    const box = el("share-notice");
    box.textContent = lines.join(" · ");
    box.hidden = !lines.length;
    box.dataset.screen = screenOf ? String(screenOf.from) : "";
    box.dataset.document = doc ? String(doc.from) : "";
  }

  async function startScreen() {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    screen = stream.getVideoTracks()[0];
    camera = room.videoTrack();
    screen.addEventListener("ended", stopScreen); // the browser's own "stop sharing"
    room.useTrack("video", screen);
    el("share-screen").setAttribute("aria-pressed", "true");
    room.send({ type: "share", kind: "screen", on: true });
  }

  function stopScreen() {
    if (!screen) return;
    screen.stop();
    screen = null;
    room.useTrack("video", camera);
    camera = null;
    el("share-screen").setAttribute("aria-pressed", "false");
    room.send({ type: "share", kind: "screen", on: false });
  }

  // The camera changed (room.js) while the screen is shown: sent again when the share stops.
  function cameraChanged(track) {
    if (!screen) return false;
    if (camera) camera.stop();
    camera = track;
    return true;
  }

  function show(msg) {
    doc = msg;
    const viewer = el("viewer");
    viewer.hidden = false;
    viewer.dataset.file = String(msg.file);
    viewer.dataset.page = String(msg.page);
    el("viewer-name").textContent = msg.name;
    el("viewer-page").textContent = msg.page + " / " + msg.pages;
    const img = el("viewer-image");
    const src = msg.url + "?page=" + msg.page;
    if (img.getAttribute("src") !== src) img.src = src;
    img.alt = msg.name + " " + msg.page;
    const mine = msg.from === room.me;
    el("viewer-controls").hidden = !mine;
    el("viewer-prev").disabled = msg.page <= 1;
    el("viewer-next").disabled = msg.page >= msg.pages;
  }

  function hide() {
    doc = null;
    el("viewer").hidden = true;
    el("viewer-image").removeAttribute("src");
  }

  // What the room says about sharing (`share`), and who left or went apart.
  function message(msg) {
    if (msg.kind === "screen") screenOf = { from: msg.from, sharer: msg.sharer };
    else if (msg.kind === "document") {
      show(msg);
      if (msg.from === room.me) el("share-error").hidden = true;
    }
    else if (msg.kind === "none" && msg.stopped === "screen" && screenOf?.from === msg.from) {
      screenOf = null;
    } else if (msg.kind === "none" && msg.stopped === "document" && doc?.from === msg.from) {
      hide();
    }
    notice();
  }

  function gone(id) {
    if (screenOf && screenOf.from === id) screenOf = null;
    if (doc && doc.from === id) hide();
    notice();
  }

  // Someone came in, or a separate talk began or ended: what this page shares is announced
  // again (the server relays it to those who may see it); what others share across is hidden.
  function announce() {
    if (screenOf && room.apart(screenOf.from)) screenOf = null;
    if (doc && room.apart(doc.from)) hide();
    notice();
    if (screen) room.send({ type: "share", kind: "screen", on: true });
    if (doc && doc.from === room.me) room.send({ type: "page", page: doc.page });
  }

  // A share refused by the server (its codes: meetings/errors.py): said next to the picker.
  const REFUSALS = ["meeting.not_shareable", "meeting.not_viewable", "meeting.not_visible_to_all"];
  function error(msg) {
    if (!REFUSALS.includes(msg.code)) return false;
    const box = el("share-error");
    box.textContent = msg.message;
    box.dataset.code = msg.code;
    box.hidden = false;
    return true;
  }

  function turn(by) {
    if (doc && doc.from === room.me) room.send({ type: "page", page: doc.page + by });
  }

  function attach(ctx) {
    room = ctx;
    const button = el("share-screen");
    if (button && navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia) {
      button.hidden = false;
      button.addEventListener("click", () => {
        if (screen) stopScreen();
        else startScreen().catch((err) => console.warn(err)); // refused by the user
      });
    }
    const form = el("share-form");
    if (form) {
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const file = Number(el("share-document").value);
        if (file) room.send({ type: "share", kind: "document", file: file, page: 1 });
      });
    }
    el("viewer-prev").addEventListener("click", () => turn(-1));
    el("viewer-next").addEventListener("click", () => turn(1));
    el("viewer-stop").addEventListener("click", () => {
      room.send({ type: "share", kind: "document", file: null });
    });
  }

  window.SutiaoShare = {
    attach: attach,
    message: message,
    error: error,
    gone: gone,
    announce: announce,
    cameraChanged: cameraChanged,
    state: () => ({ screen: Boolean(screen), document: doc }),
  };
})();
