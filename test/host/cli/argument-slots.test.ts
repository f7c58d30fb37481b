import { describe, expect, it } from 'vitest';
import { argumentSlots } from '../../../main/host/cli/commands-help';

/** The positional arguments a command accepts come from its documented usage line (commands-help.ts). */
describe('argumentSlots', () => {
  it('counts the <…> words right after the command name only', () => {
    expect(argumentSlots('flags list', 'rampart flags list [--connection N] [--search S]')).toBe(0);
    expect(argumentSlots('flags show', 'rampart flags show <flag> [--connection N]')).toBe(1);
    expect(argumentSlots('judge', 'rampart judge <file|-> [--json]   exit: 0 pass')).toBe(1);
    expect(
      argumentSlots('watch edit', 'rampart watch edit <watch id | flag> [--env E] [--metrics <metrics connection>]'),
    ).toBe(1);
    // An option's <value> is not an argument of the command.
    expect(
      argumentSlots('watch add', 'rampart watch add <flag> --env E --metrics <metrics connection> --selector S'),
    ).toBe(1);
    expect(argumentSlots('series', 'rampart series --connection N --metric <m>')).toBe(0);
    expect(argumentSlots('copy', 'rampart copy <from> <to>')).toBe(2);
  });
});
