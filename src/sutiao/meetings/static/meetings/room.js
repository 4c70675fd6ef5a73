// The session room: a mesh of RTCPeerConnections, one per other participant, negotiated with
// the "perfect negotiation" pattern (WebRTC 1.0, section 10.7); signalling over
// /ws/meetings/<session>/. The server admits, records attendance and relays.
(function () {
  "use strict";
  const root = document.getElementById("room");
  if (!root) return;
  const sessionId = root.dataset.session;
  const me = Number(root.dataset.me);
  const status = document.getElementById("room-status");
  const videos = document.getElementById("videos");
  const peers = new Map(); // participant id -> {pc, makingOffer, ignoreOffer, polite}
  const RESTART_AFTER_MS = 10000;
  window.__meeting = { peers: peers };
  let local = null;
  let ws = null;
  let mediator = null;
  let caucus = null; // the party in a separate talk with the mediator, or null
  let signals = Promise.resolve();
  let iceServers = []; // TURN credentials from the welcome, when the platform has TURN
  let icePolicy = "all"; // "relay": media only through TURN (SUTIAO_TURN_RELAY_ONLY)
  const recording = window.SutiaoRecording || null; // recording.js: consent and recording
  const share = window.SutiaoShare; // share.js: the screen and the case file's documents
  const devices = window.SutiaoDevices; // choice.js: the camera and microphone chosen
  let sfu = null; // the Janus provider's media (janus-room.js), when the welcome names it

  // In a separate talk the sides neither see nor hear each other: the server stops relaying
  // signalling and chat between them, and each page stops sending its media across.
  function inside(id) { return id === mediator || id === caucus; }
  function apart(id) { return caucus !== null && inside(id) !== inside(me); }

  function applyCaucus() {
    const notice = document.getElementById("caucus-notice");
    notice.hidden = !(caucus !== null && !inside(me));
    root.dataset.caucus = caucus === null ? "" : String(caucus);
    peers.forEach((p, id) => {
      const away = apart(id);
      if (Boolean(p.away) === away) return;
      p.away = away;
      p.senders.forEach(({ sender, track }) => {
        sender.replaceTrack(away ? null : track).catch((err) => console.warn(err));
      });
      const v = document.getElementById("remote-" + id);
      if (v) v.hidden = away;
    });
  }

  function send(msg) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  }

  // The camera and microphone chosen on the device check (or the defaults, or audio only).
  function media() {
    return devices.open();
  }

  // Send `track` instead of the local track of its kind on every peer (replaceTrack; a peer
  // that had none gets it added, and perfect negotiation carries the new offer). A peer in
  // the other side of a separate talk keeps sending nothing until it ends.
  function useTrack(kind, track) {
    const old = local.getTracks().find((t) => t.kind === kind);
    if (old === track) return;
    if (old) local.removeTrack(old);
    if (track) local.addTrack(track);
    peers.forEach((p) => {
      const s = p.senders.find((x) => x.kind === kind);
      if (s) {
        s.track = track;
        if (!p.away) s.sender.replaceTrack(track).catch((err) => console.warn(err));
      } else if (track) {
        const sender = p.pc.addTrack(track, local);
        if (p.away) sender.replaceTrack(null).catch((err) => console.warn(err));
        p.senders.push({ sender: sender, track: track, kind: kind });
      }
    });
  }

  function videoTrack() {
    return local ? local.getVideoTracks()[0] || null : null;
  }

  // A camera or microphone chosen in the room: opened, sent instead of the one before, kept
  // as this browser's choice. While the screen is shown the new camera waits for its end.
  async function switchDevice(kind, deviceId) {
    const constraints = { audio: false, video: false };
    constraints[kind] = devices.constraint(deviceId);
    const track = (await navigator.mediaDevices.getUserMedia(constraints)).getTracks()[0];
    devices.save(kind, deviceId);
    if (kind === "video" && share.cameraChanged(track)) return;
    const old = local.getTracks().find((t) => t.kind === kind);
    if (old) track.enabled = old.enabled; // muted or camera off stays so
    useTrack(kind, track);
    if (old) old.stop();
  }

  function fillDevices() {
    const saved = (kind) => local.getTracks().find((t) => t.kind === kind)?.getSettings().deviceId;
    const warn = (err) => console.warn(err);
    devices.fill(document.getElementById("room-camera"), "videoinput", saved("video")).catch(warn);
    devices.fill(document.getElementById("room-mic"), "audioinput", saved("audio")).catch(warn);
  }

  function videoFor(id) {
    let v = document.getElementById("remote-" + id);
    if (!v) {
      v = document.createElement("video");
      v.id = "remote-" + id;
      v.autoplay = true;
      v.playsInline = true;
      v.dataset.peer = id;
      videos.appendChild(v);
    }
    return v;
  }

  function peer(id) {
    if (peers.has(id)) return peers.get(id);
    const pc = new RTCPeerConnection({ iceServers: iceServers, iceTransportPolicy: icePolicy });
    const p = { pc: pc, makingOffer: false, ignoreOffer: false, polite: me < id, senders: [] };
    peers.set(id, p);
    p.senders = local
      ? local.getTracks().map((t) => ({ sender: pc.addTrack(t, local), track: t, kind: t.kind }))
      : [];
    pc.ontrack = ({ streams }) => {
      const v = videoFor(id);
      if (v.srcObject !== streams[0]) v.srcObject = streams[0];
    };
    pc.onicecandidate = ({ candidate }) =>
      send({ type: "signal", to: id, data: { candidate: candidate } });
    pc.onnegotiationneeded = async () => {
      try {
        p.makingOffer = true;
        await pc.setLocalDescription();
        send({ type: "signal", to: id, data: { description: pc.localDescription } });
      } catch (err) {
        console.warn(err);
      } finally {
        p.makingOffer = false;
      }
    };
    // ICE can fail or never finish (a phone changing networks, a starved machine): restart
    // it, and perfect negotiation carries the new offer. A peer not connected a while after it
    // was made is restarted too, a few times, since a restart can fail as well.
    pc.oniceconnectionstatechange = () => {
      if (pc.iceConnectionState === "failed") pc.restartIce();
    };
    // An ICE restart does not help when the connection's gathering itself stalled (seen in
    // Chromium: "gathering" with no candidate for a minute): then both sides make it anew.
    let restarts = 0;
    const watch = () => {
      if (peers.get(id) !== p || pc.connectionState === "connected") return;
      if (restarts++ < 1) {
        pc.restartIce();
        p.watch = setTimeout(watch, RESTART_AFTER_MS);
      } else if ((remade.get(id) || 0) < 3) {
        remake(id);
        send({ type: "signal", to: id, data: { reset: true } });
      }
    };
    p.made = Date.now();
    p.watch = setTimeout(watch, RESTART_AFTER_MS);
    if (apart(id)) applyCaucus();
    return p;
  }

  // The connection with `id` dropped and made again (its new offer by perfect negotiation).
  const remade = new Map(); // participant id -> times
  function remake(id) {
    remade.set(id, (remade.get(id) || 0) + 1);
    drop(id);
    peer(id);
  }

  async function onSignal(from, data) {
    if (data.reset) {
      // The other side made our connection anew: so do we, unless ours is new already.
      const mine = peers.get(from);
      if (!mine || Date.now() - mine.made > RESTART_AFTER_MS / 5) remake(from);
      return;
    }
    const p = peer(from);
    const pc = p.pc;
    try {
      if (data.description) {
        const d = data.description;
        const collision = d.type === "offer" && (p.makingOffer || pc.signalingState !== "stable");
        p.ignoreOffer = !p.polite && collision;
        if (p.ignoreOffer) return;
        await pc.setRemoteDescription(d);
        if (d.type === "offer") {
          await pc.setLocalDescription();
          send({ type: "signal", to: from, data: { description: pc.localDescription } });
        }
      } else if (data.candidate !== undefined) {
        try {
          await pc.addIceCandidate(data.candidate);
        } catch (err) {
          if (!p.ignoreOffer) throw err;
        }
      }
    } catch (err) {
      console.warn(err);
    }
  }

  function drop(id) {
    const p = peers.get(id);
    if (p) {
      clearTimeout(p.watch);
      p.pc.close();
    }
    peers.delete(id);
    const v = document.getElementById("remote-" + id);
    if (v) v.remove();
  }

  function attendance(msg) {
    const list = document.getElementById("attendance");
    const hint = list.querySelector(".hint");
    if (hint) hint.remove();
    const li = document.createElement("li");
    li.dataset.kind = msg.kind;
    li.textContent = new Date(msg.at).toLocaleTimeString("zh-CN", { hour12: false }) + " " +
      msg.name + " " + (msg.kind === "left" ? root.dataset.leftLabel : root.dataset.joinedLabel);
    list.appendChild(li);
  }

  function chat(msg) {
    const li = document.createElement("li");
    const who = document.createElement("strong");
    who.textContent = msg.name + " ";
    li.appendChild(who);
    li.appendChild(document.createTextNode(msg.body));
    document.getElementById("chat").appendChild(li);
  }

  // What the Janus media tell the page: a participant's stream arrived or went, an error.
  const sfuUi = {
    remote: (who, stream) => {
      const v = videoFor(who);
      if (v.srcObject !== stream) v.srcObject = stream;
    },
    gone: (who) => {
      const v = document.getElementById("remote-" + who);
      if (v) v.remove();
    },
    joined: () => { root.dataset.media = "joined"; },
    error: (text) => {
      root.dataset.mediaError = text;
      console.warn(text);
    },
  };

  async function start() {
    local = await media();
    window.__meeting.local = local;
    document.getElementById("local").srcObject = local;
    fillDevices();
    share.attach({ me: me, send: send, useTrack: useTrack, videoTrack: videoTrack, apart: apart });
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    ws = new WebSocket(`${scheme}://${location.host}/ws/meetings/${sessionId}/`);
    ws.onmessage = (event) => {
      const msg = JSON.parse(event.data);
      if (msg.type === "welcome") {
        status.textContent = "";
        status.dataset.connected = "1";
        mediator = msg.mediator;
        caucus = msg.caucus;
        iceServers = msg.ice || [];
        icePolicy = msg.ice_policy || "all";
        if (recording) {
          recording.attach(me, send);
          if (msg.recording) recording.message(msg.recording);
        }
        const sfuJoin = msg.media && { janus: window.SutiaoJanus, livekit: window.SutiaoLiveKit }[msg.media.provider];
        if (sfuJoin) {
          document.getElementById("share-screen").hidden = true; // the SFU publishes the camera
          const config = { iceServers: iceServers, iceTransportPolicy: icePolicy };
          sfu = sfuJoin.join(Object.assign(config, msg.media), local, sfuUi);
          window.__meeting.sfu = sfu;
          return;
        }
        msg.present.forEach((id) => peer(id));
        applyCaucus();
      } else if (msg.type === "attendance") {
        attendance(msg);
        if (msg.peer === me) return;
        if (msg.kind === "left") share.gone(msg.peer);
        else share.announce(); // the newcomer is told what this page shows
        if (sfu) return;
        if (msg.kind === "left") drop(msg.peer);
        else peer(msg.peer);
      } else if (msg.type === "signal") {
        // One at a time, in order: a candidate must not overtake the description before it.
        signals = signals.then(() => onSignal(msg.from, msg.data));
      } else if (msg.type === "caucus") {
        caucus = msg.with;
        applyCaucus();
        share.announce();
      } else if (msg.type === "error" && share.error(msg)) {
        // a share refused: share.js says why
      } else if (msg.type === "recording" || msg.type === "error") {
        if (recording) recording.message(msg);
      } else if (msg.type === "share") {
        share.message(msg);
      } else if (msg.type === "chat") {
        chat(msg);
      } else if (msg.type === "ended") {
        status.dataset.ended = "1";
        if (recording) recording.message({ type: "recording", on: false, consented: [] });
        status.textContent = root.dataset.endedLabel || "";
        if (sfu) sfu.close();
        peers.forEach((_p, id) => drop(id));
      }
    };
    ws.onclose = (event) => {
      status.dataset.connected = "0";
      status.dataset.closed = String(event.code);
      status.textContent = event.code === 4403 || event.code === 4404
        ? status.dataset.refused || "×" : "…";
    };
  }

  document.getElementById("mute").addEventListener("click", (e) => {
    if (!local) return;
    local.getAudioTracks().forEach((t) => { t.enabled = !t.enabled; });
    e.target.setAttribute("aria-pressed", String(!local.getAudioTracks()[0]?.enabled));
  });
  document.getElementById("camera").addEventListener("click", (e) => {
    if (!local) return;
    local.getVideoTracks().forEach((t) => { t.enabled = !t.enabled; });
    e.target.setAttribute("aria-pressed", String(!local.getVideoTracks()[0]?.enabled));
  });
  document.getElementById("chat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = document.getElementById("chat-body");
    if (input.value.trim()) send({ type: "chat", body: input.value });
    input.value = "";
  });
  document.querySelectorAll("button.caucus").forEach((b) => b.addEventListener("click", () => {
    send({ type: "caucus", with: b.dataset.with ? Number(b.dataset.with) : null });
  }));
  ["room-camera", "room-mic"].forEach((id) => {
    document.getElementById(id).addEventListener("change", (e) => {
      const kind = id === "room-camera" ? "video" : "audio";
      if (local) switchDevice(kind, e.target.value).catch((err) => console.warn(err));
    });
  });
  const end = document.getElementById("end");
  if (end) end.addEventListener("click", () => send({ type: "end" }));
  window.addEventListener("pagehide", () => { if (ws) ws.close(); });
  start().catch((err) => { status.textContent = String(err); });
})();
