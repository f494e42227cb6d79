// `npm audit --omit=dev` for CI: fails on any advisory against a runtime dependency that is not
// written down as accepted in scripts/ci/audit-accepted.txt (one advisory URL per line, then why).
// When the registry gives no answer to the audit request (this workplace's registry answers the
// bulk-advisory POST with 405), it says so plainly and passes: nothing was checked, and the
// output never pretends otherwise.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const accepted = new Set(
  readFileSync(new URL('./audit-accepted.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(/\s+/)[0]),
);

let out;
try {
  out = execFileSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
} catch (e) {
  out = e.stdout ?? ''; // npm audit exits 1 both when it finds something and when it gets no answer
}
let report;
try {
  report = JSON.parse(out);
} catch {
  report = null;
}
if (!report || typeof report.vulnerabilities !== 'object') {
  const why = report?.statusCode ? `HTTP ${report.statusCode} from ${report.uri ?? 'the registry'}` : (report?.message ?? 'no JSON report');
  console.log(`npm audit: NOT CHECKED: the registry gave no audit answer (${why}).`);
  process.exit(0);
}
const findings = [];
for (const v of Object.values(report.vulnerabilities)) {
  for (const via of v.via) {
    if (typeof via === 'object' && !accepted.has(via.url)) findings.push(`${v.name} (${via.severity}): ${via.title} ${via.url}`);
  }
}
const total = report.metadata?.vulnerabilities?.total ?? 0;
if (findings.length) {
  console.log(`npm audit: ${findings.length} advisory(ies) against runtime dependencies not accepted in scripts/ci/audit-accepted.txt:`);
  for (const f of findings) console.log(`  ${f}`);
  process.exit(1);
}
console.log(`npm audit: checked; ${total} finding(s), all accepted in scripts/ci/audit-accepted.txt.`);
