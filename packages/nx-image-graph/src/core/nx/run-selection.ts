/** What a run asked for, read from its command line (`nx run p:t`, `nx run-many -t ...`, `nx affected -t ...`). */
export interface RunSelection {
  command: 'run' | 'run-many' | 'affected';
  targets: string[];
  /** Named projects (patterns as Nx takes them); none: every project with a target. */
  projects: string[];
  exclude: string[];
  configuration?: string;
}

const LIST_OPTIONS: Record<string, keyof Pick<RunSelection, 'targets' | 'projects' | 'exclude'>> = {
  '-t': 'targets',
  '--target': 'targets',
  '--targets': 'targets',
  '-p': 'projects',
  '--projects': 'projects',
  '--exclude': 'exclude',
};

/** The run's selection from Nx's argv (node, nx, command, ...), or undefined for a command it does not read. */
export function parseRunSelection(argv: string[]): RunSelection | undefined {
  const words = argv.slice(2);
  const command = words[0];
  if (!command) return undefined;
  if (command === 'run' || (!command.startsWith('-') && command.includes(':') && command !== 'run-many')) {
    const spec = command === 'run' ? words[1] : command;
    const [project, target, configuration] = spec?.split(':') ?? [];
    if (!project || !target) return undefined;
    const c = optionValue(words, ['-c', '--configuration']) ?? configuration;
    return { command: 'run', targets: [target], projects: [project], exclude: [], ...(c ? { configuration: c } : {}) };
  }
  if (command !== 'run-many' && command !== 'affected') return undefined;
  const selection: RunSelection = { command, targets: [], projects: [], exclude: [] };
  for (let i = 1; i < words.length; i++) {
    const [name, inline] = words[i].includes('=')
      ? [words[i].slice(0, words[i].indexOf('=')), words[i].slice(words[i].indexOf('=') + 1)]
      : [words[i], undefined];
    const key = LIST_OPTIONS[name];
    if (!key) continue;
    const values = inline !== undefined ? [inline] : [];
    // `-t a b` as yargs reads an array: the words up to the next option.
    while (inline === undefined && i + 1 < words.length && !words[i + 1].startsWith('-')) values.push(words[++i]);
    selection[key].push(
      ...values
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    );
  }
  const c = optionValue(words, ['-c', '--configuration']);
  if (c) selection.configuration = c;
  return selection.targets.length ? selection : undefined;
}

function optionValue(words: string[], names: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    for (const n of names) {
      if (words[i].startsWith(`${n}=`)) return words[i].slice(n.length + 1);
      if (words[i] === n && words[i + 1] && !words[i + 1].startsWith('-')) return words[i + 1];
    }
  }
  return undefined;
}
