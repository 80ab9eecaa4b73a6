# socaudit — setup, demo, tests. Run as root on Debian 12 (apt installs system packages).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT_PACKAGES := nmap nginx openssh-server openssl iproute2 tcpdump python3-venv fonts-liberation2 libharfbuzz-subset0 poppler-utils \
  dovecot-imapd dovecot-pop3d vsftpd
PEER_APT_PACKAGES := testssl.sh
TEST_APT_PACKAGES := postgresql chromium
DEMO_DB := sqlite:///$(CURDIR)/demo-output/socaudit.db
export SOCAUDIT_LAB_DIR ?= $(CURDIR)/.lab

.PHONY: setup system-packages demo test lint unit peers bench clean readme constraints

setup: system-packages $(STAMP)

system-packages:
	@missing=""; for p in $(APT_PACKAGES) $(EXTRA_APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing system packages:$$missing (run make as root, or apt-get install them)"; exit 1; fi; \
	  echo "installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# constraints.txt pins the tested dependency set (CI, make demo); pyproject.toml keeps ranges.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Regenerate constraints.txt after changing dependencies in pyproject.toml (pip-tools).
constraints:
	$(PYTHON) -m venv .venv-tools
	.venv-tools/bin/pip install -q pip-tools
	.venv-tools/bin/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
	  --no-emit-trusted-host --no-emit-find-links --output-file constraints.txt pyproject.toml

# Accepts exit codes 0 (clean), 1 (findings) and 4 (incomplete evidence): the demo has all three.
demo: setup
	$(BIN)/socaudit lab up
	$(BIN)/socaudit inventory validate inventories/demo.yaml
	$(BIN)/socaudit policy validate policies/tcvn11930
	mkdir -p demo-output
	$(BIN)/socaudit --db $(DEMO_DB) scan -i inventories/demo.yaml || { rc=$$?; [ $$rc -eq 1 ] || [ $$rc -eq 4 ]; }
	$(BIN)/socaudit --db $(DEMO_DB) runs
	$(BIN)/socaudit --db $(DEMO_DB) evidence latest || { rc=$$?; [ $$rc -eq 1 ] || [ $$rc -eq 4 ]; }
	$(BIN)/socaudit --db $(DEMO_DB) evaluate latest || { rc=$$?; [ $$rc -eq 1 ] || [ $$rc -eq 4 ]; }
	$(BIN)/socaudit --db $(DEMO_DB) report latest --lang vi --format html,pdf,json --out demo-output/reports
	$(BIN)/socaudit verify demo-output/reports
	@echo "Per-system reports (HTML, PDF, Vietnamese) in a signed bundle: $(CURDIR)/demo-output/reports/reports/ (check it: socaudit verify demo-output/reports)"
	$(BIN)/socaudit --db $(DEMO_DB) summary latest --lang vi --format html,pdf --out demo-output/summary
	@echo "Evidence store: $(CURDIR)/demo-output/socaudit.db (socaudit --db sqlite:///$(CURDIR)/demo-output/socaudit.db evidence)"
	@echo "The lab keeps running for you to explore; stop it with: .venv/bin/socaudit lab down"

lint: setup
	$(BIN)/ruff check socaudit tests benchmarks
	$(BIN)/ruff format --check socaudit tests benchmarks
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest tests/unit

# The store is also tested on a throwaway PostgreSQL cluster (Unix socket only).
test: EXTRA_APT_PACKAGES = $(TEST_APT_PACKAGES)
test: lint
	$(BIN)/pytest

# Rewrite README's `socaudit --help` block (a test fails when it is stale).
readme: setup
	$(BIN)/python tests/unit/cli/test_readme_help.py

# Peer tools for benchmarks live in their own venv (sslyze pins an older cryptography).
peers: setup
	@dpkg-query -W -f='$${Status}' testssl.sh 2>/dev/null | grep -q "ok installed" || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PEER_APT_PACKAGES))
	test -x .venv-peers/bin/sslyze || ($(PYTHON) -m venv .venv-peers && .venv-peers/bin/pip install -q sslyze)
	test -x .venv-peers/bin/ssh-audit || ($(PYTHON) -m venv .venv-peers && .venv-peers/bin/pip install -q ssh-audit)

bench: peers
	$(BIN)/python benchmarks/tls_vs_peers.py
	$(BIN)/python benchmarks/starttls_vs_sslyze.py
	$(BIN)/python benchmarks/ssh_vs_ssh_audit.py
	$(BIN)/python benchmarks/scan_demo.py --labs 10

clean:
	-$(BIN)/socaudit lab down
	rm -rf $(VENV) .venv-peers .venv-tools .lab demo-output .pytest_cache .mypy_cache .ruff_cache
