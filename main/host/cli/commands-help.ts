import type { Command } from './commands';

/**
 * `--help` for every command, with examples (issue 11: one set of rules). A command says its own examples; these are
 * for the commands whose files do not (yet) — move them into the command when its file is next edited.
 */
const FALLBACK_EXAMPLES: Record<string, string[]> = {
  serve: [
    'rampart serve                       # prints the URL to open, with its one-time code',
    'rampart serve --port 8080 --json',
  ],
  autopilot: [
    'rampart autopilot                   # drive every active plan until stopped',
    'rampart autopilot --once --json',
  ],
  'plan start': ['rampart plan start checkout-v2 --env production --comment "guarded rollout for the new checkout"'],
  'plan status': [
    'rampart plan status checkout-v2 --env production',
    'rampart plan status checkout-v2 --env production --json',
  ],
  'plan list': ['rampart plan list --active'],
  'plan pause': ['rampart plan pause checkout-v2 --env production --comment "holding for the launch"'],
  'plan resume': ['rampart plan resume checkout-v2 --env production --comment "launch done"'],
  'plan approve': ['rampart plan approve checkout-v2 --env production --comment "approved in #releases"'],
  'plan abort': ['rampart plan abort checkout-v2 --env production --comment "rolling back: errors"'],
  'plan export': ['rampart plan export checkout-v2 --env production --format markdown > decision.md'],
  'plan policies': ['rampart plan policies --json'],
  'plan save-policy': ['rampart plan save-policy careful --steps 1,5,25,50,100 --description "slow canary"'],
};

/** What `rampart <command> --help` prints: the usage line, then examples. */
export function commandHelp(name: string, command: Command): string {
  const examples = command.examples ?? FALLBACK_EXAMPLES[name] ?? [];
  return [
    command.usage,
    ...(examples.length ? ['', 'Examples:', ...examples.map((e) => `  ${e.replace(/\n/g, '\n  ')}`)] : []),
  ].join('\n');
}

/**
 * `rampart flags`, `rampart flags --help`, `rampart plan …` without a known verb: the commands of that group. With
 * --help (or -h) it is help (exit 0); without a verb it is a usage error (exit 2). Null when `argv[0]` names no group.
 */
export function groupHelp(
  commands: Record<string, Command>,
  argv: readonly string[],
): { ok: boolean; text: string } | null {
  const group = argv[0];
  const members = Object.entries(commands).filter(([name]) => name.startsWith(`${group} `));
  if (members.length === 0) return null;
  const list = members.map(([, c]) => `  ${c.usage}`).join('\n');
  const rest = argv.slice(1);
  if (rest.length === 0)
    return {
      ok: false,
      text: `rampart ${group}: which one? ${members.map(([n]) => n).join(' | ')} (see 'rampart ${group} --help')`,
    };
  if (rest[0] === '--help' || rest[0] === '-h' || rest[0] === 'help')
    return {
      ok: true,
      text: `rampart ${group} — commands:\n${list}\n\nEach takes --help for its options and examples.`,
    };
  return {
    ok: false,
    text: `rampart ${group}: unknown command '${rest[0]}'; known: ${members.map(([n]) => n.slice(group.length + 1)).join(', ')} (see 'rampart ${group} --help')`,
  };
}

/**
 * How many positional arguments a command takes, read from its usage line — the `<…>` words right after the
 * command's name (`rampart flags show <flag> [--connection N]` → 1). The usage line is what `--help` documents, so
 * the check and the help cannot disagree; anything beyond is a usage error rather than silently ignored.
 */
export function argumentSlots(name: string, usage: string): number {
  let rest = usage.replace(/^rampart\s+/, '');
  if (!rest.startsWith(name)) return 0;
  rest = rest.slice(name.length).trimStart();
  let slots = 0;
  for (let m = /^<[^>]+>\s*/.exec(rest); m; m = /^<[^>]+>\s*/.exec(rest)) {
    slots++;
    rest = rest.slice(m[0].length);
  }
  return slots;
}
