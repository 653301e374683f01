#!/usr/bin/env bash
# Validates the rendered k8s/ manifests against the Kubernetes schema (npm kubernetes-models):
# required fields and types; then what only the rendered output shows: kustomize's labels did not
# leak into the NetworkPolicy's peers, and the shipped Secret still cannot start a server. The Java
# test KubernetesManifestsTest checks unknown fields and consistency with the image. Needs kubectl
# (kustomize) and node/npm.
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
if (n < 8) { console.error(`only ${n} objects rendered`); process.exit(1); }
const fail = (why) => { console.error(why); process.exit(1); };
const policy = docs.find(o => o.kind === "NetworkPolicy") || fail("no NetworkPolicy rendered");
for (const rule of policy.spec.ingress) {
  for (const peer of rule.from || []) {
    if (peer.podSelector && peer.podSelector.matchLabels) fail(`kustomize labels leak into a peer: ${JSON.stringify(peer)}`);
  }
}
const deployment = docs.find(o => o.kind === "Deployment");
const labels = deployment.spec.template.metadata.labels;
for (const [k, v] of Object.entries(policy.spec.podSelector.matchLabels)) {
  if (labels[k] !== v) fail(`NetworkPolicy selects ${k}=${v}, the pods have ${labels[k]}`);
}
for (const c of deployment.spec.template.spec.topologySpreadConstraints) {
  if (c.whenUnsatisfiable !== "ScheduleAnyway") fail(`topology spread ${c.topologyKey} can stall a rollout`);
}
const secret = docs.find(o => o.kind === "Secret");
if (secret.stringData["conf1-token"] !== "") fail("the shipped Secret holds a CONF1 token");
if (secret.stringData.users.split("\n").some(l => l.trim() && !l.trim().startsWith("#"))) fail("the shipped Secret holds a user");
if (docs.some(o => o.kind === "PersistentVolumeClaim" && o.spec.storageClassName)) fail("a storage class is chosen for the operator");
console.log("rendered: NetworkPolicy peers, topology spread, Secret placeholders and PVC class ok");
JS
(cd "$work" && node validate.mjs rendered.yaml)
