// Recording with consent (room.js hands over the socket and the streams): each participant
// gives or withdraws consent; the mediator's page records its view (its own stream and the
// others', mixed audio, the videos composed on a canvas) with MediaRecorder and uploads each
// chunk (every 5 s) as it is produced, in order, to the recording the server started; after
// the stop it sends the last chunk and asks the server to assemble them (a crash loses only
// the chunk being recorded: the server assembles what it has when the page is gone). The server decides: it refuses a start without everyone's consent and stops
// the recording on a withdrawal or a join without consent; every page shows the state. On
// Janus the media server records (msg.upload is false): the page only shows the state.
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
  let draw = null;
  let queue = Promise.resolve(); // uploads one after the other: the server takes them in order
  const CHUNK_MS = 5000;
  const state = { uploads: [], chunks: [] };
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

  function post(url, form) {
    return fetch(url, {
      method: "POST", body: form, headers: { "X-CSRFToken": root.dataset.csrf }, credentials: "same-origin",
    }).then(async (r) => ({ status: r.status, ok: r.ok, body: await r.json().catch(() => ({})) }));
  }

  async function sendChunk(base, seq, blob) {
    for (let attempt = 0; attempt < 4; attempt++) {
      const form = new FormData();
      form.append("seq", String(seq));
      form.append("chunk", blob, "chunk-" + seq + ".webm");
      let r;
      try { r = await post(base + "chunk/", form); } catch (e) { // the network: try again
        await new Promise((ok) => setTimeout(ok, 1000 * (attempt + 1)));
        continue;
      }
      const expected = r.body.error && r.body.error.details ? r.body.error.details.expected : null;
      const already = r.status === 409 && typeof expected === "number" && expected > seq; // a retry
      state.chunks.push({ seq: seq, status: already ? 201 : r.status });
      if (!r.ok && !already) showError(r.body.error ? r.body.error.message : String(r.status));
      return;
    }
    state.chunks.push({ seq: seq, status: 0 });
  }

  async function assemble(base) {
    const r = await post(base + "finish/", new FormData());
    state.uploads.push({ status: r.status, body: r.body });
    if (r.ok) {
      notice.hidden = false;
      notice.dataset.stored = "1";
      notice.textContent = root.dataset.storedLabel;
    } else {
      showError(r.body.error ? r.body.error.message : String(r.status));
    }
  }

  function begin(id) {
    if (recorder || !recordButton || !id) return;
    const base = root.dataset.upload + id + "/";
    let seq = 0;
    const types = ["video/webm;codecs=vp8,opus", "video/webm;codecs=vp8", "video/webm"];
    const mimeType = types.find((t) => MediaRecorder.isTypeSupported(t)) || "";
    recorder = new MediaRecorder(composed(), mimeType ? { mimeType } : {});
    recorder.ondataavailable = (e) => {
      if (!e.data || !e.data.size) return;
      const n = seq++;
      queue = queue.then(() => sendChunk(base, n, e.data));
    };
    recorder.onstop = () => { queue = queue.then(() => assemble(base)); };
    recorder.start(CHUNK_MS);
  }

  function finish() {
    if (!recorder) return;
    if (recorder.state !== "inactive") recorder.stop(); // flushes the last chunk, then onstop
    recorder = null;
    clearInterval(draw);
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
      if (on) { showError(""); if (msg.upload) begin(msg.recording); } else finish();
    }
  }

  consentButton.addEventListener("click", () => send({ type: "consent", on: !consented }));
  if (recordButton) recordButton.addEventListener("click", () => send({ type: "record", on: !on }));

  window.SutiaoRecording = {
    attach: (myId, sender) => { me = myId; send = sender; },
    message: (msg) => {
      if (msg.type === "recording") show(msg);
      else if (msg.type === "error" && msg.code && (msg.code.startsWith("meeting.recording") || msg.code === "meeting.provider_unavailable")) showError(msg.message);
    },
  };
})();
