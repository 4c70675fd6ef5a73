// The device check before a session: the camera's preview, the microphone's level (Web Audio
// analyser) and the round trip of a WebSocket message to the platform (/ws/meetings/ping/).
// The camera and microphone chosen are kept for the room (choice.js).
(function () {
  "use strict";
  const root = document.getElementById("devices");
  if (!root) return;
  const preview = document.getElementById("preview");
  const cameraStatus = document.getElementById("camera-status");
  const meter = document.getElementById("level");
  const rtt = document.getElementById("rtt");
  let stream = null;
  let audio = null;

  function stop() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
  }

  function show(s) {
    stream = s;
    preview.srcObject = s;
    cameraStatus.textContent = s.getVideoTracks().length ? root.dataset.ok : root.dataset.failed;
    cameraStatus.dataset.ok = s.getVideoTracks().length ? "1" : "0";
    listen(s);
  }

  async function open(constraints) {
    stop(); // a phone opens one camera at a time
    show(await navigator.mediaDevices.getUserMedia(constraints));
  }

  function listen(s) {
    if (!s.getAudioTracks().length) return;
    if (audio) audio.close();
    audio = new AudioContext();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 512;
    audio.createMediaStreamSource(s).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const v of samples) sum += v * v;
      meter.value = Math.min(1, Math.sqrt(sum / samples.length) * 4); // RMS, scaled to speech
      requestAnimationFrame(tick);
    };
    // Without a gesture on the page the browser may keep the audio suspended: a button asks.
    const start = document.getElementById("mic-start");
    if (audio.state === "suspended") {
      start.hidden = false;
      start.onclick = () => audio.resume().then(() => { start.hidden = true; });
    }
    tick();
  }

  // The devices the stream opened are the ones chosen (the room opens them too: choice.js).
  async function choices() {
    const store = window.SutiaoDevices;
    const track = (kind) => stream && stream.getTracks().find((t) => t.kind === kind);
    const id = (kind) => (track(kind) ? track(kind).getSettings().deviceId : "");
    await store.fill(document.getElementById("camera-choice"), "videoinput", id("video"));
    await store.fill(document.getElementById("mic-choice"), "audioinput", id("audio"));
  }

  function reopen() {
    const store = window.SutiaoDevices;
    const cam = document.getElementById("camera-choice").value;
    const mic = document.getElementById("mic-choice").value;
    store.save("video", cam);
    store.save("audio", mic);
    open({ video: store.constraint(cam), audio: store.constraint(mic) }).catch(failed);
  }

  function failed(err) {
    cameraStatus.textContent = root.dataset.failed + " (" + err.name + ")";
    cameraStatus.dataset.ok = "0";
  }

  function ping() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/ws/meetings/ping/`);
    const times = [];
    const once = () => ws.send(JSON.stringify({ type: "ping", t: performance.now() }));
    ws.onopen = once;
    ws.onmessage = (event) => {
      const msg = JSON.parse(event.data);
      if (msg.type !== "pong") return;
      times.push(performance.now() - msg.t);
      if (times.length < 5) return setTimeout(once, 200);
      const ms = Math.round(times.sort((a, b) => a - b)[2]); // the median of five
      rtt.dataset.ms = String(ms);
      rtt.textContent = ms + " ms";
      ws.close();
    };
    ws.onerror = () => { rtt.textContent = root.dataset.failed; rtt.dataset.ms = "-1"; };
  }

  document.getElementById("camera-choice").addEventListener("change", reopen);
  document.getElementById("mic-choice").addEventListener("change", reopen);
  window.addEventListener("pagehide", stop);
  // The choice made earlier in this browser, if its devices are still there.
  // The choice made earlier in this browser, if its devices are still there (choice.js).
  window.SutiaoDevices.open().then(show).then(choices).catch(failed);
  ping();
})();
