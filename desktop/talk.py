"""The app's push-to-talk controls: the button, the hold key (in the window, or anywhere
on X11 when `voice.global_hotkey` is on), the level meter, Stop speaking, and a
microphone that goes away."""

from __future__ import annotations

from typing import Any


class TalkControls:
    """Mixed into DesktopApp, which has the window, the tray, the session and the state."""

    profile: Any
    window: Any
    session: Any
    tray: Any
    push_to_talk: Any
    hotkey: Any
    hear: Any
    _set_busy: Any
    _show_state: Any

    def _voice_ready(self, push_to_talk: Any) -> None:
        if getattr(self, "first_run", None) is not None:  # its microphone test
            self.first_run.set_microphone(push_to_talk)
        if isinstance(push_to_talk, str):
            self.window.talk.setToolTip(f"Voice is off: {push_to_talk}")
            self.window.talk.setEnabled(False)
            return
        self.push_to_talk = push_to_talk
        self.window.talk.setEnabled(True)
        if self.profile.settings.voice.global_hotkey and self.hotkey is None:
            self._grab_hotkey()
        self.window.talk.setToolTip(
            f"Hold this button, or hold {self.profile.settings['voice.push_to_talk_key']}, "
            "and speak; let go to send. Pressing it while Famulus speaks interrupts it.")

    def _grab_hotkey(self) -> None:
        from desktop import global_hotkey

        key = self.profile.settings.voice.push_to_talk_key
        hotkey = global_hotkey.start(key)
        if isinstance(hotkey, str):
            self.window.chat.note(f"{key} works only in this window: {hotkey}.")
            return
        self.hotkey = hotkey
        hotkey.pressed.connect(self.press_to_talk)
        hotkey.released.connect(self.release_to_talk)

    def press_to_talk(self) -> None:
        if self.push_to_talk is None or self.session.famulus is None:
            return
        self.push_to_talk.press()
        self.window.state.setText("Listening… (let go to send)")
        self.window.level.setVisible(True)
        self.tray.set_state("listening")

    def release_to_talk(self) -> None:
        from app.errors import NoAudioDevice

        if self.push_to_talk is None or self.session.famulus is None:
            return
        self.window.level.setVisible(False)
        try:
            utterance = self.push_to_talk.release()
        except NoAudioDevice as exc:
            self._voice_lost(str(exc))
            return
        self._set_busy(True)
        self.hear(utterance)

    def _voice_lost(self, why: str) -> None:
        """The microphone went away: say so, and go on by text."""
        self.window.chat.note(why)
        self.window.talk.setEnabled(False)
        self.window.talk.setToolTip(f"Voice is off: {why}")
        self.window.level.setVisible(False)
        self.push_to_talk = None
        self._show_state()

    def _toggle_talk(self) -> None:
        ptt = self.push_to_talk
        if ptt is not None and ptt.recorder.recording:
            self.release_to_talk()
        else:
            self.window.open_view("chat")
            self.press_to_talk()

    def _stop_speaking(self) -> None:
        if self.push_to_talk is not None:
            self.push_to_talk.stop_speaking()

    def _tick(self) -> None:
        ptt = self.push_to_talk
        if ptt is None:
            return
        if not ptt.present:  # noticed at once, not at the next release
            if ptt.recorder.recording:
                self.release_to_talk()  # says why, and voice goes off
            else:
                self._voice_lost("the microphone stopped delivering sound; type instead")
            return
        if self.window.level.isVisible():
            self.window.level.setValue(int(100 * ptt.level))
        speaking = ptt.speaking
        if speaking != self.window.stop_speaking.isVisible():
            self.window.stop_speaking.setVisible(speaking)
            self._show_state()
