/**
 * Shell completion scripts (bash, zsh, fish), made from the CLI's own command tree, so they never
 * fall behind a command or an option: `imagesmith completion bash > /etc/bash_completion.d/imagesmith`.
 * They complete command names, subcommands, long options and the values of options with fixed
 * choices (`--format text|json|markdown`); file arguments fall back to the shell's own completion.
 */
import type { Command, Option } from "commander";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

interface CommandInfo {
  /** "plan", or "sync primehub" for a subcommand. */
  path: string[];
  options: { flag: string; choices: readonly string[]; description: string; value: boolean }[];
  description: string;
  subcommands: string[];
}

/** Every command of the program, subcommands included, with its long options. */
export function commandTree(program: Command): CommandInfo[] {
  const out: CommandInfo[] = [];
  const walk = (command: Command, path: string[]): void => {
    for (const sub of command.commands) {
      const here = [...path, sub.name()];
      out.push({
        path: here,
        options: sub.options
          .filter((option: Option) => option.long !== undefined)
          .map((option: Option) => ({
            flag: option.long as string,
            choices: option.argChoices ?? [],
            description: option.description,
            value: option.required || option.optional,
          })),
        description: sub.description(),
        subcommands: sub.commands.map((child) => child.name()),
      });
      walk(sub, here);
    }
  };
  walk(program, []);
  return out;
}

/** The completion script for `shell`. */
export function completionScript(program: Command, shell: Shell): string {
  const name = program.name();
  const tree = commandTree(program);
  const top = program.commands.map((command) => command.name());
  switch (shell) {
    case "bash":
      return bash(name, tree, top);
    case "zsh":
      return `#compdef ${name}\n# zsh: ${name} completion, made by \`${name} completion zsh\`.\nautoload -U bashcompinit && bashcompinit\n${bash(name, tree, top)}`;
    case "fish":
      return fish(name, tree, top);
  }
}

function bash(name: string, tree: CommandInfo[], top: string[]): string {
  const fn = `_${name.replace(/[^A-Za-z0-9_]/g, "_")}_complete`;
  const cases = tree
    .map((info) => {
      const key = info.path.join(" ");
      const words = [...info.subcommands, ...info.options.map((o) => o.flag)].join(" ");
      const choices = info.options
        .filter((o) => o.choices.length > 0)
        .map(
          (o) =>
            `      ${o.flag}) COMPREPLY=($(compgen -W "${o.choices.join(" ")}" -- "$cur")); return ;;`,
        )
        .join("\n");
      return `    "${key}")\n      case "$prev" in\n${choices}${choices ? "\n" : ""}      esac\n      words="${words}" ;;`;
    })
    .join("\n");
  return `# bash: ${name} completion, made by \`${name} completion bash\`.
${fn}() {
  local cur prev path word words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  path=""
  for word in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$word" in -*) ;; *) if [ -z "$path" ]; then path="$word"; elif [ "\${#path}" -lt 40 ]; then path="$path $word"; fi ;; esac
  done
  case "$path" in
${cases}
    *) words="${top.join(" ")} --help --version" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  [ \${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"))
  return 0
}
complete -o filenames -F ${fn} ${name}
`;
}

function fish(name: string, tree: CommandInfo[], top: string[]): string {
  const quote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  const lines = [
    `# fish: ${name} completion, made by \`${name} completion fish\`.`,
    `complete -c ${name} -f`,
  ];
  const topLevel = tree.filter((info) => info.path.length === 1);
  for (const info of topLevel)
    lines.push(
      `complete -c ${name} -n "not __fish_seen_subcommand_from ${top.join(" ")}" -a ${info.path[0]} -d ${quote(info.description.slice(0, 80))}`,
    );
  for (const info of tree) {
    const seen =
      info.path.length === 1
        ? `__fish_seen_subcommand_from ${info.path[0]}`
        : `__fish_seen_subcommand_from ${info.path[0]}; and __fish_seen_subcommand_from ${info.path.slice(1).join(" ")}`;
    for (const sub of info.subcommands) lines.push(`complete -c ${name} -n "${seen}" -a ${sub}`);
    for (const option of info.options) {
      const values =
        option.choices.length > 0
          ? ` -x -a ${quote(option.choices.join(" "))}`
          : option.value
            ? " -r -F"
            : "";
      lines.push(
        `complete -c ${name} -n "${seen}" -l ${option.flag.replace(/^--/, "")}${values} -d ${quote(option.description.slice(0, 80))}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
