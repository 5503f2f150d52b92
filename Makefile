# The two commands of the README, and a few helpers.
.PHONY: run test lint bench

run:  ## set everything up and start Famulus (window, or terminal chat without a display)
	@bash packaging/bootstrap.sh run

test:  ## set everything up for the tests and run them all
	@bash packaging/bootstrap.sh test

lint:
	@.venv/bin/ruff check .

bench:  ## inference and embedding figures against raw llama-cpp-python and sentence-transformers
	@.venv/bin/python bench/inference.py
