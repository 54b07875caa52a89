# Thin wrappers over scripts/.
.PHONY: run test bundle bench screenshots
run:
	scripts/run
test:
	scripts/test
bench:
	scripts/bench
bundle:
	scripts/bundle
screenshots:
	scripts/screenshots
