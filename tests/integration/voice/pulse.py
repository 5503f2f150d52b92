"""A private PulseAudio server with a virtual speaker and a virtual microphone, for tests
through real, paced audio devices.

    famulus_speaker          a null sink: what Famulus plays; record its .monitor to hear it
    famulus_mic_feed         a null sink the test plays speech into
    famulus_mic              a source remapped from famulus_mic_feed.monitor: the microphone

Programs that use it get PULSE_SERVER (and ALSA's pulse plugin routes PortAudio's default
device to it), so sounddevice must be imported in those programs, not before the server
runs: the tests drive them as subprocesses.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


class VirtualAudio:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="famulus-pulse-"))
        self.folder.chmod(0o700)
        self.env = {**os.environ, "XDG_RUNTIME_DIR": str(self.folder),
                    "PULSE_SERVER": f"unix:{self.folder}/pulse/native"}

    def start(self) -> VirtualAudio:
        if not shutil.which("pulseaudio"):
            raise RuntimeError("pulseaudio is not installed (apt pulseaudio pulseaudio-utils "
                               "libasound2-plugins)")
        modules = ["module-native-protocol-unix",
                   "module-null-sink sink_name=famulus_speaker",
                   "module-null-sink sink_name=famulus_mic_feed",
                   "module-remap-source source_name=famulus_mic "
                   "master=famulus_mic_feed.monitor"]
        subprocess.run(["pulseaudio", "--daemonize=yes", "--exit-idle-time=-1", "-n",
                        "--disallow-exit", *[f"--load={m}" for m in modules]],
                       env=self.env, check=True, capture_output=True, timeout=30)
        deadline = time.monotonic() + 15
        while subprocess.run(["pactl", "info"], env=self.env,
                             capture_output=True).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError("PulseAudio did not start")
            time.sleep(0.1)
        self.pactl("set-default-sink", "famulus_speaker")
        self.pactl("set-default-source", "famulus_mic")
        return self

    def pactl(self, *args: str) -> str:
        return subprocess.run(["pactl", *args], env=self.env, check=True, capture_output=True,
                              text=True).stdout

    def play_into_mic(self, wav: Path) -> subprocess.Popen[bytes]:
        """Play a WAV into the virtual microphone, paced in real time."""
        return subprocess.Popen(["paplay", "--device=famulus_mic_feed", str(wav)],
                                env=self.env)

    def record_speaker(self, wav: Path) -> subprocess.Popen[bytes]:
        """Record what is played on the virtual speaker into a WAV until terminated."""
        return subprocess.Popen(["parecord", "--device=famulus_speaker.monitor",
                                 "--file-format=wav", "--channels=1", "--rate=16000",
                                 str(wav)], env=self.env)

    def stop(self) -> None:
        subprocess.run(["pulseaudio", "--kill"], env=self.env, capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)
