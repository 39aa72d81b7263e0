// node validate.mjs FILE...: every document of every YAML/JSON FILE checked
// against the Kubernetes API, offline, in two ways:
//  - kubernetes-models' validators (the API's OpenAPI schema: types, required
//    fields, formats, enums);
//  - TypeScript's excess-property check on the same objects typed with the
//    API's types: a misspelt or misplaced field (readonly for readOnly, a
//    container field at pod level) is an error, as `kubectl --validate=strict`
//    would make it.
// Prints one line per document, and the errors; exits 1 on any.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
let failed = false;
const typed = [];

function modelPath(apiVersion) {
	// "v1" is the core group; "apps/v1" a named one.
	return `kubernetes-models/${apiVersion}`;
}

for (const file of process.argv.slice(2)) {
	const docs = parseAllDocuments(readFileSync(file, "utf8"));
	for (const [i, doc] of docs.entries()) {
		const where = `${file}#${i + 1}`;
		if (doc.errors.length) {
			console.log(`not ok: ${where}: YAML: ${doc.errors[0].message}`);
			failed = true;
			continue;
		}
		const obj = doc.toJS();
		if (!obj) continue;
		const { apiVersion, kind } = obj;
		let Model;
		try {
			Model = (await import(`${modelPath(apiVersion)}/${kind}`))[kind];
		} catch (e) {
			console.log(`not ok: ${where}: no ${kind} in the API's ${apiVersion}`);
			failed = true;
			continue;
		}
		try {
			new Model(obj).validate();
			console.log(`ok: ${where}: ${apiVersion} ${kind} ${obj.metadata?.name ?? ""}`);
		} catch (e) {
			console.log(`not ok: ${where}: ${e.message.split("\n").slice(0, 5).join("; ")}`);
			failed = true;
		}
		typed.push({ where, apiVersion, kind, obj });
	}
}

// One TypeScript file, one typed constant per document.
// Beside node_modules, so the imports resolve.
const dir = mkdtempSync(join(here, ".check-"));
const lines = typed.map(
	(t, i) =>
		`import type { I${t.kind} as T${i} } from "${modelPath(t.apiVersion)}/${t.kind}";\n` +
		`// ${t.where}\nexport const doc${i}: T${i} = ${JSON.stringify(t.obj, null, 1)};\n`,
);
const ts = join(dir, "manifests.ts");
writeFileSync(ts, lines.join("\n"));
try {
	execFileSync(
		join(here, "node_modules/.bin/tsc"),
		["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext",
		 ts],
		{ cwd: here, stdio: "pipe" },
	);
	console.log(`ok: no unknown or mistyped field in ${typed.length} documents (TypeScript)`);
} catch (e) {
	console.log(`not ok: unknown or mistyped fields (TypeScript):\n${e.stdout}`);
	failed = true;
}
rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
