import { isRampartError } from '../../../shared/errors';
import { allowEnvOption, dataDirOption, GLOBAL_OPTIONS, parse, UsageError } from './args';
import { flagCommands, type Command } from './commands';
import { judgeCommands } from './commands-judge';
import { argumentSlots, commandHelp, groupHelp } from './commands-help';
import { serveCommand } from './serve';
import { connectionCommands } from './commands-connections';
import { watchCommands } from './commands-watches';
import { planCommands } from './commands-plans';
import { autopilotCommand } from './autopilot';
import { lifecycleCommands } from './commands-lifecycle';
import { defaultDataDir, openRuntime, VERSION } from './runtime';
import type { Registrar } from '../registrar';

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  ...flagCommands,
  ...judgeCommands,
  ...connectionCommands,
  ...watchCommands,
  ...planCommands,
  ...lifecycleCommands,
  autopilot: autopilotCommand,
};

function help(): string {
  return [
    `rampart ${VERSION} — watch a feature-flag rollout against its metrics; ramp or roll it back.`,
    '',
    'Commands (every command takes --json, --data-dir D and --allow-env VAR; default data dir: $RAMPART_HOME or ~/.config/rampart):',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
    '',
    'With no --connection, commands act on the demo workspace.',
  ].join('\n');
}

/**
 * `rampart --data-dir D plan list` as well as `rampart plan list --data-dir D` (tester 2, F12): global options written
 * before the command are moved after it, where the command's parser reads them.
 */
export function hoistGlobalOptions(argv: string[]): string[] {
  const before: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i].startsWith('--')) {
    const name = argv[i].slice(2).split('=')[0];
    const spec = GLOBAL_OPTIONS[name];
    if (!spec || name === 'help') break;
    const takesValue = spec.type === 'string' && !argv[i].includes('=');
    before.push(...argv.slice(i, i + (takesValue ? 2 : 1)));
    i += takesValue ? 2 : 1;
  }
  return [...argv.slice(i), ...before];
}

/** Longest command name matching the leading words: "flags list" before "flags". */
function findCommand(argv: string[]): { name: string; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    if (COMMANDS[name]) return { name, rest: argv.slice(words) };
  }
  return undefined;
}

/**
 * Exit 2 means "fix the command": something named does not exist, or Rampart refused the input before acting. A store
 * answering HTTP 400 to a request Rampart built is the action failing (exit 1): a CI gate must not read a rollback the
 * vendor rejected as a typo.
 */
function isBadInput(e: unknown): boolean {
  if (!isRampartError(e)) return false;
  if (e.code === 'not_found') return true;
  const status = (e.details as { status?: unknown } | undefined)?.status;
  return e.code === 'bad_request' && typeof status !== 'number';
}

/** Runs the CLI; returns the exit code. Errors print one line naming the problem (exit 2 usage, 1 failure). */
export async function main(
  argv: string[],
  io: { out: (s: string) => void; err: (s: string) => void } = {
    out: (s) => console.log(s),
    err: (s) => console.error(s),
  },
): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(help());
    return 0;
  }
  if (argv[0] === '--version') {
    io.out(VERSION);
    return 0;
  }
  argv = hoistGlobalOptions(argv);
  const found = findCommand(argv);
  if (!found) {
    const group = groupHelp(COMMANDS, argv);
    if (group) {
      (group.ok ? io.out : io.err)(group.text);
      return group.ok ? 0 : 2;
    }
    const words = argv.slice(0, 2).filter((w, i) => !w.startsWith('-') && (i === 0 || !argv[0].startsWith('-')));
    io.err(`rampart: unknown command '${words.join(' ') || argv[0]}'. Run 'rampart --help' for the list.`);
    return 2;
  }
  const command = COMMANDS[found.name];
  let runtime: ReturnType<typeof openRuntime> | undefined;
  try {
    const { values, positionals } = parse(found.rest, command.options);
    if (values.help) {
      io.out(commandHelp(found.name, command));
      return 0;
    }
    const slots = argumentSlots(found.name, command.usage);
    if (positionals.length > slots)
      throw new UsageError(
        `unexpected argument '${positionals[slots]}' (${slots === 0 ? 'it takes none' : `it takes ${slots}`})`,
      );
    const dataDir = dataDirOption(values, () => defaultDataDir());
    const allowEnv = allowEnvOption(values);
    return await command.run({
      values: { ...values, 'data-dir': dataDir } as Record<string, string | boolean | undefined>,
      positionals,
      json: values.json === true,
      registrar: (): Registrar => (runtime ??= openRuntime(dataDir, { allowEnv })).registrar,
      core: () => (runtime ??= openRuntime(dataDir, { allowEnv })).core,
      out: io.out,
      err: io.err,
      now: Date.now(),
    });
  } catch (e) {
    const usage = e instanceof UsageError;
    const message = isRampartError(e) ? e.message : e instanceof Error ? e.message : String(e);
    // One line that names the problem; the usage is one `--help` away.
    io.err(`rampart ${found.name}: ${message}${usage ? ` (see 'rampart ${found.name} --help')` : ''}`);
    return usage || isBadInput(e) ? 2 : (command.failureExit ?? 1);
  } finally {
    runtime?.core.close();
    await runtime?.core.closed();
  }
}

/**
 * Runs `rampart <argv>` as a process: exits once the command is done and its output flushed. Not on the event loop
 * going idle: a store read abandoned past its budget (settle.ts) may retry for its own timeouts.
 */
export function runAsProcess(argv: string[]): void {
  void main(argv).then((code) => {
    process.exitCode = code;
    // Each callback runs once everything written before it on that stream was handed on: nothing is cut off.
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  });
}

if (require.main === module) runAsProcess(process.argv.slice(2));
