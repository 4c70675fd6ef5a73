// The session's media through the Janus SFU (VideoRoom): this page publishes its own camera
// and microphone once and subscribes to each other participant's feed, one handle and one
// <video> per feed. The platform's WebSocket (room.js) admits, keeps the attendance and hands
// over the room and this participant's token; Janus admits only tokens on the room's list.
// In a separate talk (背对背调解) each side has a room of its own on Janus: the platform has
// destroyed the main room (every stream and subscription in it ended) and made it again for
// the other side only, and a room of the talk admits only the mediator's and the party's
// tokens. This page follows room.js's data-caucus and joins its side's room.
(function () {
  "use strict";

  function join(media, local, ui) {
    const feeds = new Map(); // participant id (Janus display) -> {handle, stream}
    const me = Number(media.display);
    const root = document.getElementById("room");
    const rooms = media.rooms || { main: media.room, caucus: media.room };
    let caucus = media.caucus === undefined ? null : media.caucus;
    let room = media.room; // the room this page is in (or joining)
    let janus = null;
    let publisher = null;
    let privateId = null; // Janus's, for this page's publisher: its subscriptions name it
    let closed = false;
    let moved = 0; // how many times this page changed rooms

    function inside() { return (media.mediators || []).includes(me) || me === caucus; }
    function target() { return caucus !== null && inside() ? rooms.caucus : rooms.main; }
    function notice() {
      const el = document.getElementById("caucus-notice");
      if (el) el.hidden = !(caucus !== null && !inside());
    }

    function subscribe(feed) {
      const who = Number(feed.display);
      if (!who || feeds.has(who)) return;
      const entry = { handle: null, stream: new MediaStream() };
      feeds.set(who, entry);
      janus.attach({
        plugin: "janus.plugin.videoroom",
        success: (handle) => {
          entry.handle = handle;
          handle.send({ message: {
            request: "join", room: room, ptype: "subscriber",
            streams: [{ feed: feed.id }], token: media.token, private_id: privateId,
          } });
        },
        error: (err) => ui.error(String(err)),
        onmessage: (msg, jsep) => {
          if (msg.error) ui.error(msg.error);
          if (!jsep) return;
          entry.handle.createAnswer({
            jsep: jsep,
            tracks: [{ type: "data" }],
            success: (answer) => entry.handle.send({
              message: { request: "start", room: room }, jsep: answer,
            }),
            error: (err) => ui.error(String(err)),
          });
        },
        onremotetrack: (track, mid, on) => {
          if (!on) return;
          entry.stream.getTracks().filter((t) => t.kind === track.kind)
            .forEach((t) => entry.stream.removeTrack(t));
          entry.stream.addTrack(track);
          ui.remote(who, entry.stream);
        },
        oncleanup: () => {},
      });
    }

    function leave(feedId) {
      feeds.forEach((entry, who) => {
        if (entry.feedId === feedId) drop(who);
      });
    }

    function drop(who) {
      const entry = feeds.get(who);
      if (entry && entry.handle) entry.handle.detach();
      feeds.delete(who);
      ui.gone(who);
    }

    function subscribeAll(list) {
      (list || []).forEach((feed) => {
        subscribe(feed);
        const entry = feeds.get(Number(feed.display));
        if (entry) entry.feedId = feed.id;
      });
    }

    function publish() {
      // The camera is room.js's: janus.js must not stop it when this page changes rooms.
      local.getTracks().forEach((t) => { t.dontStop = true; });
      const tracks = local.getTracks().map((t) => ({ type: t.kind, capture: t, recv: false }));
      publisher.createOffer({
        tracks: tracks,
        success: (jsep) => publisher.send({
          message: { request: "configure", audio: true, video: true }, jsep: jsep,
        }),
        error: (err) => ui.error(String(err)),
      });
    }

    function onPublisherMessage(msg, jsep) {
      if (msg.videoroom === "joined") {
        privateId = msg.private_id;
        ui.joined();
        publish();
        subscribeAll(msg.publishers);
      } else if (msg.videoroom === "event") {
        subscribeAll(msg.publishers);
        if (msg.unpublished && msg.unpublished !== "ok") leave(msg.unpublished);
        if (msg.leaving && msg.leaving !== "ok") leave(msg.leaving);
        if (msg.error) ui.error(msg.error);
      } else if (msg.videoroom === "destroyed") {
        // The platform parted or rejoined the sides (or ended the session): join again the
        // room of this page's side, unless a move is under way or the session has ended.
        const moves = moved;
        setTimeout(() => { if (moved === moves) move(true); }, 1500);
      } else if (msg.error) {
        ui.error(msg.error);
      }
      if (jsep) publisher.handleRemoteJsep({ jsep: jsep });
    }

    function connect() {
      const mine = new Janus({
        server: media.server,
        iceServers: media.iceServers || [],
        iceTransportPolicy: media.iceTransportPolicy,
        success: () => mine.attach({
          plugin: "janus.plugin.videoroom",
          success: (handle) => {
            publisher = handle;
            handle.send({ message: {
              request: "join", room: room, ptype: "publisher",
              display: media.display, token: media.token,
            } });
          },
          error: (err) => ui.error(String(err)),
          onmessage: onPublisherMessage,
        }),
        error: (err) => { if (janus === mine) ui.error(String(err)); },
      });
      janus = mine;
    }

    // Leave the room this page is in (its publication and subscriptions) and join its side's.
    function move(force) {
      if (closed || (!force && room === target())) return;
      moved += 1;
      Array.from(feeds.keys()).forEach(drop);
      if (janus) janus.destroy({ cleanupHandles: true });
      publisher = null;
      room = target();
      root.dataset.mediaRoom = String(room);
      connect();
    }

    // room.js shows the separate talk as #room's data-caucus ("" when everyone is together).
    new MutationObserver(() => {
      const now = root.dataset.caucus ? Number(root.dataset.caucus) : null;
      if (now === caucus) return;
      const was = room;
      caucus = now;
      notice();
      // Parted: every room was made anew, so everyone joins again; rejoined: those who move.
      if (caucus !== null || target() !== was) move(true);
    }).observe(root, { attributes: true, attributeFilter: ["data-caucus"] });

    notice();
    root.dataset.mediaRoom = String(room);
    Janus.init({ debug: false, callback: connect });
    return {
      feeds: feeds,
      drop: drop,
      room: () => room,
      close: () => { closed = true; if (janus) janus.destroy(); },
    };
  }

  window.SutiaoJanus = { join: join };
})();
