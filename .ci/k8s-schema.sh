#!/usr/bin/env bash
# Validates the rendered k8s/ manifests against the Kubernetes schema (npm kubernetes-models):
# required fields and types. The Java test KubernetesManifestsTest checks unknown fields and
# consistency with the image. Needs kubectl (kustomize) and node/npm.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
kubectl kustomize k8s >"$work/rendered.yaml"
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund kubernetes-models@5.1.0 yaml@2 >/dev/null)
cat >"$work/validate.mjs" <<'JS'
import fs from "node:fs";
import { parseAllDocuments } from "yaml";
const docs = parseAllDocuments(fs.readFileSync(process.argv[2], "utf8")).map(d => d.toJSON()).filter(Boolean);
let n = 0;
for (const obj of docs) {
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${obj.kind}` : `kubernetes-models/${version}/${obj.kind}`;
  const mod = await import(path);
  new mod[obj.kind](obj).validate();
  console.log(`schema ok: ${obj.kind}/${obj.metadata.name}`);
  n++;
}
if (n < 7) { console.error(`only ${n} objects rendered`); process.exit(1); }
JS
(cd "$work" && node validate.mjs rendered.yaml)
