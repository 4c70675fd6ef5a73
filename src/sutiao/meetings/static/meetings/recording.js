// Recording with consent (room.js hands over the socket and the streams): each participant
// gives or withdraws consent; the mediator's page records its view (its own stream and the
// others', mixed audio, the videos composed on a canvas) with MediaRecorder and uploads the
// WebM at stop. The server decides: it refuses a start without everyone's consent and stops
// the recording on a withdrawal or a join without consent; every page shows the state.
(function () {
  "use strict";
  const root = document.getElementById("room");
  if (!root) return;
  const notice = document.getElementById("recording-notice");
  const errorBox = document.getElementById("recording-error");
  const consentButton = document.getElementById("consent");
  const recordButton = document.getElementById("record");
  let me = null;
  let send = () => {};
  let consented = false;
  let on = false;
  let recorder = null;
  let chunks = [];
  let draw = null;
  const state = { uploads: [] };
  window.__recording = state;

  function composed() {
    // The mediator's view: every <video> of the room on one canvas, every audio track mixed.
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 360;
    const ctx = canvas.getContext("2d");
    draw = setInterval(() => {
      const vids = Array.from(document.querySelectorAll("#videos video")).filter((v) => !v.hidden);
      const n = Math.max(vids.length, 1);
      const cols = Math.ceil(Math.sqrt(n));
      const rows = Math.ceil(n / cols);
      const w = canvas.width / cols;
      const h = canvas.height / rows;
      ctx.fillStyle = "#000";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      vids.forEach((v, i) => {
        try { ctx.drawImage(v, (i % cols) * w, Math.floor(i / cols) * h, w, h); } catch (e) { /* not ready */ }
      });
    }, 100);
    const stream = canvas.captureStream(10);
    try {
      const audio = new AudioContext();
      const dest = audio.createMediaStreamDestination();
      document.querySelectorAll("#videos video").forEach((v) => {
        if (v.srcObject && v.srcObject.getAudioTracks().length) {
          audio.createMediaStreamSource(v.srcObject).connect(dest);
        }
      });
      dest.stream.getAudioTracks().forEach((t) => stream.addTrack(t));
    } catch (e) { console.warn(e); }
    return stream;
  }

  function begin() {
    if (recorder || !recordButton) return;
    chunks = [];
    const types = ["video/webm;codecs=vp8,opus", "video/webm;codecs=vp8", "video/webm"];
    const mimeType = types.find((t) => MediaRecorder.isTypeSupported(t)) || "";
    recorder = new MediaRecorder(composed(), mimeType ? { mimeType } : {});
    recorder.ondataavailable = (e) => { if (e.data && e.data.size) chunks.push(e.data); };
    recorder.onstop = upload;
    recorder.start(1000);
  }

  function finish() {
    if (!recorder) return;
    if (recorder.state !== "inactive") recorder.stop();
    recorder = null;
    clearInterval(draw);
  }

  async function upload() {
    const blob = new Blob(chunks, { type: "video/webm" });
    chunks = [];
    const form = new FormData();
    form.append("file", blob, "recording.webm");
    const r = await fetch(root.dataset.upload, {
      method: "POST", body: form, headers: { "X-CSRFToken": root.dataset.csrf }, credentials: "same-origin",
    });
    const body = await r.json().catch(() => ({}));
    state.uploads.push({ status: r.status, body: body });
    if (r.ok) {
      notice.hidden = false;
      notice.dataset.stored = "1";
      notice.textContent = root.dataset.storedLabel;
    } else {
      showError(body.error ? body.error.message : String(r.status));
    }
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  function show(msg) {
    on = msg.on;
    consented = msg.consented.includes(me);
    root.dataset.recording = on ? "1" : "0";
    if (on) {
      notice.hidden = false;
      notice.dataset.stored = "";
      notice.textContent = "● " + root.dataset.onLabel;
    } else if (!notice.dataset.stored) {
      notice.hidden = true;
    }
    consentButton.setAttribute("aria-pressed", String(consented));
    consentButton.textContent = consented ? root.dataset.consentWithdraw : root.dataset.consentGive;
    if (recordButton) {
      recordButton.setAttribute("aria-pressed", String(on));
      recordButton.textContent = on ? root.dataset.recordStop : root.dataset.recordStart;
      if (on) { showError(""); begin(); } else finish();
    }
  }

  consentButton.addEventListener("click", () => send({ type: "consent", on: !consented }));
  if (recordButton) recordButton.addEventListener("click", () => send({ type: "record", on: !on }));

  window.SutiaoRecording = {
    attach: (myId, sender) => { me = myId; send = sender; },
    message: (msg) => {
      if (msg.type === "recording") show(msg);
      else if (msg.type === "error" && msg.code && msg.code.startsWith("meeting.recording")) showError(msg.message);
    },
  };
})();
