# The two commands of the README, and a few helpers.
.PHONY: run test lint bench desktop-entry package
MODEL ?= default
EXEC ?= $(CURDIR)/.venv/bin/famulus

run:  ## set everything up and start Famulus (window, or terminal chat without a display)
	@bash packaging/bootstrap.sh run

test:  ## set everything up for the tests and run them all
	@bash packaging/bootstrap.sh test

lint:
	@.venv/bin/ruff check .

bench:  ## inference and embedding figures against raw llama-cpp-python and sentence-transformers
	@.venv/bin/python bench/inference.py

package:  ## build dist/famulus, the self-contained app with the embedded models (MODEL=light: smaller)
	@FAMULUS_BUNDLE_MODEL=$(MODEL) bash packaging/bootstrap.sh package

desktop-entry:  ## add Famulus to this user's application menu (EXEC=/path/to/famulus for a built app)
	@install -Dm644 packaging/famulus.desktop ~/.local/share/applications/famulus.desktop
	@sed -i "s|^Exec=.*|Exec=$(EXEC) run|" ~/.local/share/applications/famulus.desktop
	@install -Dm644 packaging/icons/famulus.svg ~/.local/share/icons/hicolor/scalable/apps/famulus.svg
	@echo "Famulus is in the application menu."
