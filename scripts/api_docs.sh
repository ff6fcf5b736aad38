#!/usr/bin/env bash
# The API reference from the docstrings (pdoc, the [docs] extra): scripts/api_docs.sh [OUT_DIR]
set -euo pipefail
out="${1:-docs/api}"
python -m pdoc -o "$out" partialload_opt partialload_opt.registry partialload_opt.results partialload_opt.solving \
  partialload_opt.partialloading.schedule partialload_opt.partialloading.instance partialload_opt.plugins partialload_opt.testing \
  partialload_opt.verify partialload_opt.partialloading.gantt partialload_opt.partialloading.generate
echo "API reference in $out/index.html"
