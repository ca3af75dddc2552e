import { type Command, InvalidArgumentError } from 'commander';
import type { CliContext } from '../shared.ts';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

interface OptionInfo {
  readonly long: string;
  readonly short: string | undefined;
  readonly description: string;
  /** Takes a value. */
  readonly value: boolean;
  readonly choices: readonly string[] | undefined;
}

interface CommandInfo {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionInfo[];
}

/** The commands and their options, read from the program itself, so completion never lags the CLI. */
function describeProgram(program: Command): CommandInfo[] {
  return program.commands.map((c) => ({
    name: c.name(),
    description: c.description().split('\n')[0] ?? '',
    options: [...c.options, ...(c.options.some((o) => o.long === '--help') ? [] : [{ long: '--help', short: '-h', description: 'display help for command', required: false, optional: false, argChoices: undefined }])].flatMap((o) =>
      o.long === undefined ? [] : [{ long: o.long, short: o.short, description: o.description, value: o.required || o.optional, choices: o.argChoices }],
    ),
  }));
}

const words = (xs: readonly string[]) => xs.join(' ');
/** Text safe inside single quotes in every shell, and inside zsh's `[…]` descriptions. */
const plain = (s: string) => s.replace(/['\\[\]:]/g, ' ').replace(/\s+/g, ' ').trim();

function bash(commands: readonly CommandInfo[]): string {
  const cases = commands.map((c) => `    ${c.name}) opts='${words(c.options.flatMap((o) => (o.short === undefined ? [o.long] : [o.short, o.long])))}' ;;`);
  const choices = commands.flatMap((c) =>
    c.options.filter((o) => o.choices !== undefined).map((o) => `    ${c.name}:${o.long}) COMPREPLY=( $(compgen -W '${words(o.choices ?? [])}' -- "$cur") ); return ;;`),
  );
  return `# brink completion for bash. Load it now:  source <(brink completion bash)
# or for every shell:  brink completion bash > ~/.local/share/bash-completion/completions/brink
_brink() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="\${COMP_WORDS[1]}" opts=''
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W '${words(commands.map((c) => c.name))} help --help --version' -- "$cur") ); return
  fi
  case "$cmd:$prev" in
${choices.join('\n')}
  esac
  case "$cmd" in
    completion) COMPREPLY=( $(compgen -W '${words(SHELLS)}' -- "$cur") ); return ;;
${cases.join('\n')}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "$opts" -- "$cur") ); else COMPREPLY=( $(compgen -f -- "$cur") ); fi
}
complete -o filenames -F _brink brink
`;
}

function zsh(commands: readonly CommandInfo[]): string {
  const list = commands.map((c) => `    '${c.name}:${plain(c.description)}'`);
  const cases = commands.map((c) => {
    const specs = c.options.map((o) => `'${o.long}[${plain(o.description)}]${o.value ? `:value:${o.choices === undefined ? '' : `(${words(o.choices)})`}` : ''}'`);
    return `    ${c.name}) _arguments ${[...specs, c.name === 'completion' ? `':shell:(${words(SHELLS)})'` : "'*:file:_files'"].join(' ')} ;;`;
  });
  return `#compdef brink
# brink completion for zsh. Load it now:  source <(brink completion zsh)
# or save it as _brink in a folder of your $fpath.
_brink() {
  local -a commands
  commands=(
${list.join('\n')}
  )
  if (( CURRENT == 2 )); then _describe 'command' commands; return; fi
  shift words; (( CURRENT-- ))
  case $words[1] in
${cases.join('\n')}
  esac
}
compdef _brink brink
`;
}

function fish(commands: readonly CommandInfo[]): string {
  const lines = ['complete -c brink -f'];
  for (const c of commands) {
    lines.push(`complete -c brink -n __fish_use_subcommand -a ${c.name} -d '${plain(c.description)}'`);
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    for (const o of c.options) {
      const short = o.short === undefined ? '' : ` -s ${o.short.slice(1)}`;
      const value = o.choices !== undefined ? ` -x -a '${words(o.choices)}'` : o.value ? ' -r' : '';
      lines.push(`complete -c brink ${when} -l ${o.long.slice(2)}${short}${value} -d '${plain(o.description)}'`);
    }
    lines.push(c.name === 'completion' ? `complete -c brink ${when} -a '${words(SHELLS)}'` : `complete -c brink ${when} -F`);
  }
  return `# brink completion for fish. Load it now:  brink completion fish | source
# or for every shell:  brink completion fish > ~/.config/fish/completions/brink.fish
${lines.join('\n')}
`;
}

/** `brink completion bash|zsh|fish`: a completion script for the shell, made from the commands themselves. */
export function registerCompletion(program: Command, ctx: CliContext): void {
  program
    .command('completion')
    .description('Print a shell completion script: source <(brink completion bash), or zsh; fish: brink completion fish | source')
    .argument('<shell>', `the shell: ${SHELLS.join(', ')}`, (value: string): Shell => {
      if (!(SHELLS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${SHELLS.join(', ')}; found "${value}"`);
      return value as Shell;
    })
    .action((shell: Shell) => {
      const commands = describeProgram(program);
      ctx.io.stdout(shell === 'bash' ? bash(commands) : shell === 'zsh' ? zsh(commands) : fish(commands));
    });
}
