"""Drives the real desktop app in an X window (run under Xvfb by test_desktop_window.py):
asks one question, prints the transcript, and saves a screenshot."""

from __future__ import annotations

import sys

from agent import paths, settings
from agent.runtime import open_profile
from desktop.app import DesktopApp
from desktop.qt import QApplication, QObject, Slot

QUESTION = "What is the capital of Spain? Answer in one sentence."


class Driver(QObject):
    """Types the question when the model is ready; saves the window when answered."""

    def __init__(self, app: QApplication, desktop: DesktopApp, screenshot: str) -> None:
        super().__init__()
        self.app, self.desktop, self.screenshot = app, desktop, screenshot

    @Slot(str)
    def ready(self, _where: str) -> None:
        window = self.desktop.window
        window.input.setPlainText(QUESTION)
        window.send_button.click()

    @Slot(str)
    def answered(self, _summary: str) -> None:
        window = self.desktop.window
        window.grab().save(self.screenshot)
        print("PLATFORM", self.app.platformName())
        print("TRANSCRIPT", window.transcript.toPlainText().replace("\n", " "))
        self.app.quit()

    @Slot(str)
    def failed(self, message: str) -> None:
        print("FAILED", message)
        self.app.exit(1)


def main() -> int:
    app = QApplication(sys.argv[:1])
    found = paths.resolve()
    desktop = DesktopApp(open_profile(found, settings.load(found.config_file)))
    driver = Driver(app, desktop, sys.argv[1])
    desktop.worker.ready.connect(driver.ready)
    desktop.worker.finished.connect(driver.answered)
    desktop.worker.failed.connect(driver.failed)
    desktop.start()
    code = app.exec()
    desktop.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
