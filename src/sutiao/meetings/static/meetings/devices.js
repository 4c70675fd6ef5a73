// The device check before a session: the camera's preview, the microphone's level (Web Audio
// analyser) and the round trip of a WebSocket message to the platform (/ws/meetings/ping/).
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

  async function open(constraints) {
    stop();
    stream = await navigator.mediaDevices.getUserMedia(constraints);
    preview.srcObject = stream;
    cameraStatus.textContent = stream.getVideoTracks().length ? root.dataset.ok : root.dataset.failed;
    cameraStatus.dataset.ok = stream.getVideoTracks().length ? "1" : "0";
    listen(stream);
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

  async function choices() {
    const all = await navigator.mediaDevices.enumerateDevices();
    const fill = (select, kind) => {
      select.replaceChildren();
      all.filter((d) => d.kind === kind).forEach((d, i) => {
        select.appendChild(new Option(d.label || kind + " " + (i + 1), d.deviceId));
      });
    };
    fill(document.getElementById("camera-choice"), "videoinput");
    fill(document.getElementById("mic-choice"), "audioinput");
  }

  function reopen() {
    const cam = document.getElementById("camera-choice").value;
    const mic = document.getElementById("mic-choice").value;
    open({
      video: cam ? { deviceId: { exact: cam } } : true,
      audio: mic ? { deviceId: { exact: mic } } : true,
    }).catch(failed);
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
  open({ audio: true, video: true }).then(choices).catch(failed);
  ping();
})();
