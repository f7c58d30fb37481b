/**
 * The decision part of the Electronegativity gate, separate from running the tool so it reads on its own:
 * take the findings (from Electronegativity's API), then fail on MEDIUM+ findings the allowlist does not annotate.
 */

const SEVERITY_RANK = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };
const GATE_RANK = SEVERITY_RANK.MEDIUM;
/** A reason has to say something; "ok" or "fp" is not an annotation. */
const MIN_REASON_CHARS = 20;

function validateAllowlist(allow) {
  const problems = [];
  if (!Array.isArray(allow)) return ['the allowlist must be a JSON array of {check, file, reason}'];
  allow.forEach((a, i) => {
    if (typeof a?.check !== 'string' || typeof a?.file !== 'string')
      problems.push(`allowlist entry ${i}: needs string "check" and "file"`);
    if (typeof a?.reason !== 'string' || a.reason.trim().length < MIN_REASON_CHARS) {
      problems.push(
        `allowlist entry ${i} (${a?.check} in ${a?.file}): needs a "reason" of at least ${MIN_REASON_CHARS} characters`,
      );
    }
  });
  return problems;
}

/**
 * → { ok, lines }. Fails on: an invalid allowlist, an unknown severity (a tool upgrade we do not understand), or a
 * MEDIUM+ finding without an allowlist entry for its check and file. Unused entries are reported, not fatal.
 */
export function gate(findings, allow) {
  const lines = [];
  const problems = validateAllowlist(allow);
  if (problems.length) return { ok: false, lines: problems.map((p) => `FAIL ${p}`) };
  const used = new Set();
  let blocking = 0;
  for (const f of findings) {
    const rank = SEVERITY_RANK[f.severity];
    const where = `${f.file}:${f.location}`;
    if (rank === undefined) {
      blocking++;
      lines.push(`FAIL ${f.check} has an unknown severity '${f.severity}' (${where})`);
      continue;
    }
    if (rank < GATE_RANK) {
      lines.push(`note ${f.severity} ${f.check} (${where}): ${f.description}`);
      continue;
    }
    const i = allow.findIndex((a) => a.check === f.check && a.file === f.file);
    if (i >= 0) {
      used.add(i);
      lines.push(`allowed ${f.severity} ${f.check} (${where}): ${allow[i].reason}`);
    } else {
      blocking++;
      lines.push(
        `FAIL ${f.severity} ${f.check} (${where}): ${f.description}${f.sample && f.sample !== 'N/A' ? `\n       ${f.sample}` : ''}`,
      );
    }
  }
  allow.forEach((a, i) => {
    if (!used.has(i)) lines.push(`unused allowlist entry: ${a.check} in ${a.file} (remove it if the finding is gone)`);
  });
  lines.push(
    blocking
      ? `electronegativity-check: ${blocking} finding(s) at MEDIUM or above without a reason in the allowlist`
      : `electronegativity-check: ok (${findings.length} finding(s), none at MEDIUM or above left unannotated)`,
  );
  return { ok: blocking === 0, lines };
}
