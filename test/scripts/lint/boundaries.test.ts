import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module config without type declarations
import { boundaries } from '../../../scripts/lint/boundaries.mjs';

/**
 * The import boundaries CI checks (scripts/lint/boundaries.mjs, wired into eslint.config.mjs and `npm run lint`):
 * each deliberately wrong import below must fail, and the same file with a permitted import must pass.
 */
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } },
    ...(boundaries as object[]),
  ],
});

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const WRONG: [string, string, RegExp][] = [
  ['main/core/bad.ts', "import { createRegistrar } from '../host/registrar';", /the core does not import the doors/],
  [
    'main/core/handlers/bad.ts',
    "import type { Registrar } from '../../host/registrar';",
    /the core does not import the doors/,
  ],
  ['main/flags/unleash/bad.ts', "import type { Core } from '../../core/core';", /adapters do not import the core/],
  ['main/metrics/prometheus/bad.ts', "import { openStore } from '../../store';", /adapters do not import the store/],
  [
    'main/notify/bad.ts',
    "import type { ConnectionRegistry } from '../core/connections';",
    /adapters do not import the core/,
  ],
  [
    'renderer/src/views/bad.tsx',
    "import { createCore } from '../../../main/core/core';",
    /the renderer talks to the core only through the contract/,
  ],
  ['shared/domain/bad.ts', "import { readFileSync } from 'node:fs';", /no Node APIs/],
  ['shared/domain/bad.ts', "import path from 'path';", /no Node APIs/],
  ['shared/stats/bad.ts', "import { RampartError } from '../../main/host/registrar';", /must not import main/],
  ['shared/contract/bad.ts', "import { api } from '../../renderer/src/api';", /must not import the renderer/],
  ['main/core/bad.ts', "import { app } from 'electron';", /electron is imported only in main\/electron and preload/],
  ['renderer/src/bad.ts', "import { ipcRenderer } from 'electron';", /electron is imported only/],
];

const RIGHT: [string, string][] = [
  ['main/core/ok.ts', "import { RampartError } from '../../shared/errors';\nimport { metricsKind } from '../kinds';"],
  [
    'main/flags/unleash/ok.ts',
    "import { roundToStep } from '../../rollout/exposure-rules';\nimport type { FlagStore } from '../flag-store';",
  ],
  ['main/electron/ok.ts', "import { app } from 'electron';\nimport { createCore } from '../core/core';"],
  ['main/host/ok.ts', "import { createCore } from '../core/core';\nimport { readFileSync } from 'node:fs';"],
  ['renderer/src/ok.tsx', "import { Connection } from '../../shared/domain/connections';"],
  ['shared/kinds/ok.ts', "import { z } from 'zod';\nimport { NOTICE_KINDS } from '../domain/plans';"],
];

describe('import boundaries (CI: npm run lint)', () => {
  it.each(WRONG)('%s: a deliberately wrong import fails — %s', async (file, code, why) => {
    const found = await problems(file, `${code}\nexport {};\n`);
    expect(
      found.some((p) => p.startsWith('no-restricted-imports:') && why.test(p)),
      found.join('\n') || 'no problem reported',
    ).toBe(true);
  });

  it.each(RIGHT)('%s: permitted imports pass', async (file, code) => {
    expect(await problems(file, `${code}\nexport {};\n`)).toEqual([]);
  });

  it('are part of the config `npm run lint` uses', async () => {
    // @ts-expect-error -- a plain ES module config without type declarations
    const config = (await import('../../../eslint.config.mjs')).default as object[];
    for (const block of boundaries as object[]) expect(config).toContain(block);
  });
});

describe('the type-aware rules of eslint.config.mjs', () => {
  // The project's own config; the code is linted as the text of a real file so the type checker knows it.
  const project = new ESLint({ cwd: process.cwd() });
  const rules = async (code: string) =>
    (await project.lintText(code, { filePath: 'main/core/queries.ts' }))[0].messages.map((m) => m.ruleId);

  it('refuses a floating promise and a switch that misses a member of a union', async () => {
    const found = await rules(
      [
        "type Kind = 'flags' | 'metrics' | 'notify';",
        'async function save(): Promise<void> {}',
        'export function f(k: Kind): number {',
        '  save();',
        '  switch (k) {',
        "    case 'flags':",
        '      return 1;',
        "    case 'metrics':",
        '      return 2;',
        '  }',
        '  return 0;',
        '}',
      ].join('\n'),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        '@typescript-eslint/no-floating-promises',
        '@typescript-eslint/switch-exhaustiveness-check',
      ]),
    );
  }, 60_000);
});
