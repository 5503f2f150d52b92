"""The first run, after the passphrase and the recovery key: which model, which key to hold
to talk, which folders Famulus may use, and how freely it may act, each page explained
and each skippable (Settings changes all of it later). What it chose is written to the
settings file; the folders and the level apply at once, the model at the next start."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.settings import SettingError, write_value
from desktop.keys import key_code
from desktop.qt import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
    Signal,
)
from desktop.unlock_dialog import LEVELS

# Measured with bench/inference.py on 2 cores (docs/performance.md): tokens a second; a
# word is about 1.3 tokens. More cores make it faster, up to about 8.
TOKENS_PER_S = {"default": 26.0, "light": 39.0}
EXAMPLES = ["Reading a file: asks. Writing a note: asks. Sending an e-mail: asks.",
            "Reading a file or writing a note in your folders: does it. Sending an e-mail: "
            "asks.",
            "Sending an e-mail to someone on your list: does it. To anyone else: asks.",
            "Everything: does it, and records it in the audit log."]


def words_per_second(model: str, cores: int | None = None) -> int:
    """About how many words a second a model writes on this computer."""
    cores = min(max(cores or os.cpu_count() or 2, 2), 8)
    return round(TOKENS_PER_S[model] * cores / 2 / 1.3)


@dataclass
class Choices:
    """What the person chose; None where they skipped the page."""

    model: str | None = None  # default, light, or a .gguf path
    talk_key: str | None = None
    folders: list[str] | None = field(default=None)
    autonomy: int | None = None


def _page(title: str, text: str) -> tuple[QWizardPage, QVBoxLayout]:
    page = QWizardPage()
    page.setTitle(title)
    page.setSubTitle(text)
    column = QVBoxLayout(page)
    return page, column


class FirstRun(QWizard):
    """`chosen(Choices)` when the person finishes (skipped pages stay None)."""

    chosen = Signal(object)

    def __init__(self, autonomy: int, parent: QWidget | None = None,
                 model: str = "default") -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Famulus")
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "Skip this step")
        self.customButtonClicked.connect(lambda _which: self._skip())
        self.skipped: set[int] = set()
        self.addPage(self._model_page(model))
        self.addPage(self._voice_page())
        self.addPage(self._folders_page())
        self.addPage(self._autonomy_page(autonomy))
        self.finished.connect(self._finish)

    def _model_page(self, current: str) -> QWizardPage:
        page, column = _page("Which model answers", "Both run on this computer; nothing is "
                             "sent anywhere. You can change it in Settings.")
        self.models = QButtonGroup(page)
        for name, words in (("default", "Default (Qwen2.5-Coder 1.5B): better answers"),
                            ("light", "Light (Qwen2.5-Coder 0.5B): faster, simpler")):
            button = QRadioButton(f"{words}, about {words_per_second(name)} words a second "
                                  "here")
            button.setObjectName(name)
            self.models.addButton(button)
            column.addWidget(button)
        self.gguf = QLineEdit()
        self.gguf.setPlaceholderText("or a GGUF model file of your own")
        chosen = [b for b in self.models.buttons() if b.objectName() == current]
        (chosen or self.models.buttons())[0].setChecked(True)
        if current not in ("default", "light"):  # a model file of the person's own
            self.gguf.setText(current)
        self.gguf.setAccessibleName("A GGUF model file")
        pick = QPushButton("Choose a file…")
        pick.clicked.connect(self._pick_model)
        row = QHBoxLayout()
        row.addWidget(self.gguf, 1)
        row.addWidget(pick)
        column.addLayout(row)
        column.addWidget(QLabel("A different model is used from the next start."))
        return page

    def _voice_page(self) -> QWizardPage:
        page, column = _page("Talking to Famulus", "Hold a key, speak, and let go: Famulus "
                             "answers aloud. Choose the key (a single key: F9, F12, "
                             "Pause…).")
        self.talk_key = QLineEdit("F9")
        self.talk_key.setAccessibleName("The key to hold while talking")
        self.key_check = QLabel()
        self.talk_key.textChanged.connect(self._check_key)
        column.addWidget(self.talk_key)
        column.addWidget(self.key_check)
        self.meter = QProgressBar()  # the microphone's level while the test is held
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName("Microphone level")
        self.test = QPushButton("Hold to test the microphone")
        self.test.pressed.connect(self._test_start)
        self.test.released.connect(self._test_stop)
        self.heard = QLabel()
        self.heard.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.test)
        row.addWidget(self.meter, 1)
        column.addLayout(row)
        column.addWidget(self.heard)
        column.addStretch(1)
        self.loudest = 0.0
        self.level_timer = QTimer(self)
        self.level_timer.setInterval(100)
        self.level_timer.timeout.connect(self._show_level)
        self.set_microphone(None)
        return page

    def set_microphone(self, microphone: Any) -> None:
        """The push-to-talk machinery (voice.push_to_talk.PushToTalk) once voice is ready,
        or None, or a string saying why there is none."""
        self.microphone = None if isinstance(microphone, str) else microphone
        self.test.setEnabled(self.microphone is not None)
        if self.microphone is None:
            why = microphone if isinstance(microphone, str) else "voice is still loading"
            self.heard.setText(f"The microphone cannot be tested now ({why}); you can type, "
                               "and Settings sets voice up later.")
        else:
            self.heard.setText("Hold the button and say something: the bar should move.")

    def _test_start(self) -> None:
        if self.microphone is not None:
            self.loudest = 0.0
            self.microphone.recorder.press()
            self.level_timer.start()

    def _show_level(self) -> None:
        level = float(self.microphone.level) if self.microphone is not None else 0.0
        self.loudest = max(self.loudest, level)
        self.meter.setValue(int(100 * level))

    def _test_stop(self) -> None:
        self.level_timer.stop()
        self.meter.setValue(0)
        if self.microphone is None:
            return
        try:
            self.microphone.recorder.release()  # what was heard is not kept
        except Exception as exc:  # a microphone that went away: said, not raised
            self.heard.setText(f"The microphone stopped: {exc}")
            return
        self.heard.setText("The microphone hears you." if self.loudest >= 0.05 else
                           "No sound came in: check the microphone in the system's sound "
                           "settings.")

    def _folders_page(self) -> QWizardPage:
        page, column = _page("Folders Famulus may use", "Famulus reads and writes files "
                             "only inside these folders, at every level.")
        self.folders = QListWidget()
        self.folders.setAccessibleName("Folders Famulus may use")
        add, remove = QPushButton("Add a folder…"), QPushButton("Remove")
        add.clicked.connect(self._add_folder)
        remove.clicked.connect(lambda: self.folders.takeItem(self.folders.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        column.addWidget(self.folders, 1)
        column.addLayout(buttons)
        return page

    def _autonomy_page(self, level: int) -> QWizardPage:
        page, column = _page("How freely Famulus may act", "Whatever it may not do alone "
                             "waits for you in the conversation and the Review tab.")
        self.levels = QButtonGroup(page)
        for number, (words, example) in enumerate(zip(LEVELS, EXAMPLES, strict=True)):
            button = QRadioButton(f"Level {words}")
            self.levels.addButton(button, number)
            column.addWidget(button)
            said = QLabel(example)
            said.setIndent(24)
            said.setWordWrap(True)
            column.addWidget(said)
        self.levels.button(level).setChecked(True)
        return page

    # Acting --------------------------------------------------------------------------
    def _pick_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "A GGUF model", "", "GGUF (*.gguf)")
        if path:
            self.gguf.setText(path)

    def _add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "A folder Famulus may use")
        if folder:
            self.folders.addItem(folder)

    def _check_key(self, text: str) -> None:
        known = text.strip().upper() == "F9" or key_code(text) != int(Qt.Key.Key_F9.value)
        self.key_check.setText("" if known else "Not a single key Qt knows; F9 is used.")

    def _skip(self) -> None:
        self.skipped.add(self.currentId())
        if self.currentId() == self.pageIds()[-1]:
            self.accept()
        else:
            self.next()

    def choices(self) -> Choices:
        ids = self.pageIds()
        chose = Choices()
        if ids[0] not in self.skipped:
            chose.model = self.gguf.text().strip() or self.models.checkedButton().objectName()
        if ids[1] not in self.skipped:
            chose.talk_key = self.talk_key.text().strip() or None
        if ids[2] not in self.skipped and self.folders.count():
            chose.folders = [self.folders.item(i).text() for i in range(self.folders.count())]
        if ids[3] not in self.skipped:
            chose.autonomy = self.levels.checkedId()
        return chose

    def _finish(self, result: int) -> None:
        if result == QWizard.DialogCode.Accepted:
            self.chosen.emit(self.choices())



def write_choices(chose: Choices, config_file: Path) -> list[str]:
    """Write what was chosen to the settings file; the names written. A value the
    settings refuse (a model file that does not exist) raises SettingError first."""
    values = {"models.chat": chose.model, "voice.push_to_talk_key": chose.talk_key,
              "tools.allowed_paths": json.dumps(chose.folders) if chose.folders else None,
              "tools.autonomy_level": None if chose.autonomy is None else str(chose.autonomy)}
    written = []
    for name, raw in values.items():
        if raw is not None:
            write_value(config_file, name, raw)
            written.append(name)
    return written


class FirstRunControls:
    """Mixed into DesktopApp: the pages open once the recovery key is written down, and
    what was chosen is saved and applied."""

    window: Any
    session: Any
    worker: Any
    profile: Any
    level_chosen: int
    talk_key: int
    first_run: FirstRun | None

    def _welcome(self) -> None:
        self.first_run = FirstRun(self.level_chosen, self.window,
                                  self.profile.settings.models.chat)
        self.first_run.set_microphone(getattr(self, "push_to_talk", None))
        self.first_run.chosen.connect(self._chosen)
        self.first_run.open()

    def _chosen(self, chose: Choices) -> None:
        """The first run's choices: saved; the folders, level and key at once."""
        if chose.model == self.profile.settings.models.chat:
            chose.model = None  # unchanged: not written over an environment's choice
        try:
            written = write_choices(chose, self.profile.paths.config_file)
        except SettingError as exc:
            self.window.chat.note(f"Not saved: {exc}. Settings can change it.")
            return
        if chose.autonomy not in (None, self.level_chosen):
            self.worker.submit(self.session.set_autonomy, chose.autonomy)
        if chose.folders is not None:
            self.worker.submit(self.session.set_folders, chose.folders)
        if chose.talk_key:
            self.talk_key = key_code(chose.talk_key)
        other_model = chose.model not in (None, self.profile.settings.models.chat)
        if written:
            self.window.chat.note("Saved your choices." + (
                " The model you chose answers from the next start." if other_model else ""))
