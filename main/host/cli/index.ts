import { isRampartError } from '../../../shared/errors';
import { parse, UsageError } from './args';
import { flagCommands, type Command } from './commands';
import { serveCommand } from './serve';
import { connectionCommands } from './commands-connections';
import { watchCommands } from './commands-watches';
import { defaultDataDir, openRuntime, VERSION } from './runtime';
import type { Registrar } from '../registrar';

const COMMANDS: Record<string, Command> = { serve: serveCommand, ...flagCommands, ...connectionCommands, ...watchCommands };

function help(): string {
  return [
    `rampart ${VERSION} — watch a feature-flag rollout against its metrics; ramp or roll it back.`,
    '',
    'Commands (every command takes --json and --data-dir D; default data dir: $RAMPART_HOME or ~/.config/rampart):',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
    '',
    'With no --connection, commands act on the demo workspace.',
  ].join('\n');
}

/** Longest command name matching the leading words: "flags list" before "flags". */
function findCommand(argv: string[]): { name: string; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    if (COMMANDS[name]) return { name, rest: argv.slice(words) };
  }
  return undefined;
}

/** Runs the CLI; returns the exit code. Errors print one line naming the problem (exit 2 usage, 1 failure). */
export async function main(argv: string[], io: { out: (s: string) => void; err: (s: string) => void } = { out: (s) => console.log(s), err: (s) => console.error(s) }): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(help());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version') {
    io.out(VERSION);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`rampart: unknown command '${argv.slice(0, 2).join(' ')}'. Run 'rampart --help' for the list.`);
    return 2;
  }
  const command = COMMANDS[found.name];
  let runtime: ReturnType<typeof openRuntime> | undefined;
  try {
    const { values, positionals } = parse(found.rest, command.options);
    if (values.help) {
      io.out(command.usage);
      return 0;
    }
    const dataDir = (values['data-dir'] as string | undefined) ?? defaultDataDir();
    return await command.run({
      values: { ...values, 'data-dir': dataDir } as Record<string, string | boolean | undefined>,
      positionals,
      json: values.json === true,
      registrar: (): Registrar => (runtime ??= openRuntime(dataDir)).registrar,
      core: () => (runtime ??= openRuntime(dataDir)).core,
      out: io.out,
      now: Date.now(),
    });
  } catch (e) {
    const usage = e instanceof UsageError;
    const message = isRampartError(e) ? e.message : e instanceof Error ? e.message : String(e);
    // One line that names the problem; the usage is one `--help` away.
    io.err(`rampart ${found.name}: ${message}${usage ? ` (see 'rampart ${found.name} --help')` : ''}`);
    return usage ? 2 : isRampartError(e) && e.code === 'bad_request' ? 2 : 1;
  } finally {
    runtime?.core.close();
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
