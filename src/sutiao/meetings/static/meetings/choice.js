// The camera and microphone chosen on the device check page, kept in this browser
// (localStorage: device ids are the browser's own, per site) and opened by the room: the exact
// device chosen, or the default when it is gone, or audio only when no camera opens.
(function () {
  "use strict";
  const KEY = "sutiao.meetings.devices";

  function saved() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  function save(kind, deviceId) { // kind: "video" or "audio"
    const choice = saved();
    if (deviceId) choice[kind] = deviceId;
    else delete choice[kind];
    try {
      localStorage.setItem(KEY, JSON.stringify(choice));
    } catch (e) {
      console.warn(e); // storage refused (a private window): the room opens the defaults
    }
  }

  function constraint(deviceId) {
    return deviceId ? { deviceId: { exact: deviceId } } : true;
  }

  async function open() {
    const choice = saved();
    const attempts = [
      { audio: constraint(choice.audio), video: constraint(choice.video) },
      { audio: true, video: true }, // a device chosen is gone (unplugged, another browser)
      { audio: true, video: false }, // no camera, or the camera was refused: audio only
    ];
    let last = null;
    for (const c of attempts) {
      try {
        return await navigator.mediaDevices.getUserMedia(c);
      } catch (err) {
        last = err;
      }
    }
    throw last;
  }

  // Fill a <select> with the devices of `kind` ("videoinput", "audioinput"), `current` chosen.
  async function fill(select, kind, current) {
    const all = await navigator.mediaDevices.enumerateDevices();
    select.replaceChildren();
    all.filter((d) => d.kind === kind).forEach((d, i) => {
      const option = new Option(d.label || kind + " " + (i + 1), d.deviceId);
      option.selected = d.deviceId === current;
      select.appendChild(option);
    });
  }

  window.SutiaoDevices = { saved: saved, save: save, constraint: constraint, open: open, fill: fill };
})();
