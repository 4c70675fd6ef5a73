// The session's media through the Janus SFU (VideoRoom): this page publishes its own camera
// and microphone once and subscribes to each other participant's feed, one handle and one
// <video> per feed. The platform's WebSocket (room.js) admits, keeps the attendance and hands
// over the room and this participant's token; Janus admits only tokens on the room's list.
(function () {
  "use strict";

  function join(media, local, ui) {
    const feeds = new Map(); // participant id (Janus display) -> {handle, stream}
    let janus = null;
    let publisher = null;

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
            request: "join", room: media.room, ptype: "subscriber",
            streams: [{ feed: feed.id }], token: media.token,
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
              message: { request: "start", room: media.room }, jsep: answer,
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
        ui.joined();
        publish();
        subscribeAll(msg.publishers);
      } else if (msg.videoroom === "event") {
        subscribeAll(msg.publishers);
        if (msg.unpublished && msg.unpublished !== "ok") leave(msg.unpublished);
        if (msg.leaving && msg.leaving !== "ok") leave(msg.leaving);
        if (msg.error) ui.error(msg.error);
      } else if (msg.error) {
        ui.error(msg.error);
      }
      if (jsep) publisher.handleRemoteJsep({ jsep: jsep });
    }

    Janus.init({
      debug: false,
      callback: () => {
        janus = new Janus({
          server: media.server,
          iceServers: media.iceServers || [],
          success: () => janus.attach({
            plugin: "janus.plugin.videoroom",
            success: (handle) => {
              publisher = handle;
              handle.send({ message: {
                request: "join", room: media.room, ptype: "publisher",
                display: media.display, token: media.token,
              } });
            },
            error: (err) => ui.error(String(err)),
            onmessage: onPublisherMessage,
          }),
          error: (err) => ui.error(String(err)),
        });
      },
    });
    return {
      feeds: feeds,
      drop: drop,
      close: () => { if (janus) janus.destroy(); },
    };
  }

  window.SutiaoJanus = { join: join };
})();
