// Prints the plain closing line CI reads — "N passed, N failed" (", N skipped") — from vitest's JSON report.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  console.error(`test-summary: cannot read ${file}: ${e.message}`);
  process.exit(1);
}
const skipped = report.numPendingTests + report.numTodoTests;
// A passed test that carries failure messages failed a first attempt and passed its retry (vitest.config.mts).
const retried = report.testResults.flatMap((file) =>
  file.assertionResults
    .filter((t) => t.status === 'passed' && t.failureMessages?.length)
    .map((t) => ({ file: file.name, name: t.fullName, first: String(t.failureMessages[0]).split('\n')[0] })),
);
for (const t of retried) console.log(`flaky: passed on its retry: ${t.file} > ${t.name}\n  first attempt: ${t.first}`);
console.log(
  `${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}${retried.length ? `, ${retried.length} passed only on a retry (listed above)` : ''}`,
);
process.exit(report.numTotalTests > 0 && report.numFailedTests === 0 && report.success ? 0 : 1);
