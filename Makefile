# gunmane-geo: two commands do all the set-up on a fresh Debian 12 machine.
#   make demo   set up if needed, run the main job on the sample region -> out/
#   make test   set up if needed, run every test (library + plugin in real headless QGIS)
VENV      ?= .venv
PY        := $(VENV)/bin/python
OUT       ?= out
export QT_QPA_PLATFORM := offscreen
export MPLBACKEND := Agg

.PHONY: env demo test test-lib bench plugin sample clean

env:
	@bash scripts/setup_env.sh

demo: env
	$(PY) -m gunmane_geo.cli report --config sample_layers/run.toml --out $(OUT)

test: env
	GUNMANE_REQUIRE_QGIS=1 QGIS_CUSTOM_CONFIG_PATH=$(CURDIR)/.qgis-profile \
	    $(PY) -m pytest -p no:cacheprovider tests

test-lib: env
	$(PY) -m pytest -p no:cacheprovider tests/lib

bench: env
	$(PY) benchmarks/bench_criticality.py
	$(PY) benchmarks/bench_grouping.py
	$(PY) benchmarks/bench_options.py

sample: env
	$(PY) sample_layers/make_sample.py

plugin: env
	bash scripts/build_plugin.sh dist --wheels

clean:
	rm -rf $(OUT) dist .qgis-profile
