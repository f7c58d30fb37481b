// Runs Electronegativity through its own programmatic API and prints {issues, errors} as JSON on stdout.
// Why not its CLI: the CLI's CSV writer races — it writes the header (flag 'w') and the findings (flag 'a') with
// two unordered async writes, so now and then the header lands last and overwrites the first finding. The API
// returns the findings, each with its own severity, and writes nothing.
// Usage: node electronegativity-run.cjs <input dir> <electron version> <out.json>
// (A file, not stdout: the library prints notices of its own on stdout.)
const { writeFileSync } = require('node:fs');
const [input, electronVersion, outFile] = process.argv.slice(2);
const run = require('@doyensec/electronegativity');

run({
  input,
  output: undefined,
  isSarif: false,
  customScan: [],
  // AvailableSecurityFixesGlobalCheck downloads Electron's release list: it needs the network, and "is Electron
  // outdated" is the dependency updater's question, not a source scan's.
  excludeFromScan: ['availablesecurityfixesglobalcheck'],
  severitySet: 'informational',
  confidenceSet: 'tentative',
  isRelative: true,
  electronUpgrade: undefined,
  electronVersionOverride: electronVersion,
  parserPlugins: [],
})
  .then((result) => {
    const issues = result.issues.map((i) => ({
      check: i.id,
      severity: i.severity.name,
      confidence: i.confidence.name,
      file: i.file,
      location: i.location ? `${i.location.line}:${i.location.column}` : '',
      sample: i.sample ?? '',
      description: typeof i.description === 'string' ? i.description : JSON.stringify(i.description),
    }));
    const errors = (result.errors ?? [])
      .filter((e) => !e.tolerable)
      .map((e) => ({ file: e.file, message: String(e.message) }));
    writeFileSync(outFile, JSON.stringify({ issues, errors }));
  })
  .catch((e) => {
    process.stderr.write(`Electronegativity failed: ${e && e.stack ? e.stack : e}\n`);
    process.exit(2);
  });
