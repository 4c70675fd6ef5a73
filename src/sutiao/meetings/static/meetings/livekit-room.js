// The session's media through a LiveKit server (SFU): this page publishes its own camera and
// microphone once and receives each other participant's tracks, one <video> per participant
// (their LiveKit identity is their participant id). The platform's WebSocket (room.js) admits,
// keeps the attendance and hands over the room's URL and this participant's token; LiveKit
// admits only a token the platform signed for that room. vendor/livekit-client.umd.js is
// livekit-client's own build (Apache-2.0), served by the platform.
(function () {
  "use strict";

  function join(media, local, ui) {
    const LK = window.LivekitClient;
    const streams = new Map(); // participant id -> MediaStream of their tracks
    const room = new LK.Room({ adaptiveStream: false, dynacast: false });

    function streamOf(participant) {
      const who = Number(participant.identity);
      if (!streams.has(who)) streams.set(who, new MediaStream());
      return [who, streams.get(who)];
    }

    room.on(LK.RoomEvent.TrackSubscribed, (track, _pub, participant) => {
      const [who, stream] = streamOf(participant);
      stream.getTracks().filter((t) => t.kind === track.kind).forEach((t) => stream.removeTrack(t));
      stream.addTrack(track.mediaStreamTrack);
      ui.remote(who, stream);
    });
    room.on(LK.RoomEvent.TrackUnsubscribed, (track, _pub, participant) => {
      const [, stream] = streamOf(participant);
      stream.removeTrack(track.mediaStreamTrack);
    });
    room.on(LK.RoomEvent.ParticipantDisconnected, (participant) => {
      const who = Number(participant.identity);
      streams.delete(who);
      ui.gone(who);
    });
    room.on(LK.RoomEvent.Disconnected, () => ui.error("disconnected"));

    const rtcConfig = { iceServers: media.iceServers || [] };
    if (media.iceTransportPolicy) rtcConfig.iceTransportPolicy = media.iceTransportPolicy;
    room.connect(media.server, media.token, { autoSubscribe: true, rtcConfig: rtcConfig })
      .then(async () => {
        for (const track of local.getTracks()) {
          await room.localParticipant.publishTrack(track);
        }
        ui.joined();
      })
      .catch((err) => ui.error(String(err)));

    return {
      feeds: streams,
      room: room,
      close: () => room.disconnect(),
    };
  }

  window.SutiaoLiveKit = { join: join };
})();
