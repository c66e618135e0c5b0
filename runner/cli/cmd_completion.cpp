// SPDX-License-Identifier: MIT
// runner completion bash: the shell completion script, from the command table and the options, so
// that it offers exactly what this runner accepts; dialect names are asked of `runner dialects`
// when completing, as plugins come and go.
#include "runner/base/errors.hpp"
#include "runner/cli/cmd_common.hpp"
#include "runner/cli/command.hpp"
#include "runner/cli/context.hpp"
#include "runner/cli/output.hpp"
#include "runner/cli/settings.hpp"

namespace runner::cli {
namespace {

std::string words(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& w : list) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string bash_script() {
  std::vector<std::string> names;
  std::string per_command;
  for (const auto& c : commands()) {
    std::vector<std::string> opts;
    for (const auto& o : c.options) opts.push_back("--" + o);
    std::string pattern = c.name;
    if (c.alias != nullptr) pattern += std::string("|") + c.alias;
    names.push_back(c.name);
    if (c.alias != nullptr) names.push_back(c.alias);
    per_command += "    " + pattern + ") opts=\"" + words(opts) + "\" ;;\n";
  }
  std::vector<std::string> valued;
  for (const auto& v : global_options_with_values()) valued.push_back("--" + v);
  for (const char* v : {"-d", "-s", "-c", "-j", "-o", "--output", "--from", "--alembic", "--alembic-config", "--schema",
                        "--url-env", "--set", "-m", "--message", "--dump-schema"})
    valued.push_back(v);
  std::string valued_pattern;
  for (const auto& v : valued) valued_pattern += (valued_pattern.empty() ? "" : "|") + v;
  return "# bash completion for runner: written by `runner completion bash` (runner's own commands and options)\n"
         "_runner() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
         "  local commands=\"" +
         words(names) +
         "\"\n"
         "  local global=\"" +
         words(global_option_switches()) +
         "\"\n"
         "  case \"$prev\" in\n"
         "    --dialect)\n"
         "      COMPREPLY=($(compgen -W \"$(\"${COMP_WORDS[0]}\" dialects 2>/dev/null | awk 'NR > 1 && NF >= 3 "
         "{ print $1 }')\" -- \"$cur\"))\n"
         "      return ;;\n"
         "    -s|--sql-dir|--plugin-dir|--from)\n"
         "      COMPREPLY=($(compgen -d -- \"$cur\"))\n"
         "      return ;;\n"
         "    " +
         valued_pattern +
         ")\n"
         "      COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "      return ;;\n"
         "  esac\n"
         "  local cmd=\"\" i\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    case \" $commands \" in *\" ${COMP_WORDS[i]} \"*) cmd=${COMP_WORDS[i]}; break ;; esac\n"
         "  done\n"
         "  if [[ -z $cmd ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$commands $global\" -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  local opts=\"\"\n"
         "  case \"$cmd\" in\n" +
         per_command +
         "  esac\n"
         "  case \"$cmd\" in\n"
         "    import|adopt) [[ $cur != -* ]] && opts=\"$opts alembic golang-migrate dbmate goose sql-migrate flyway "
         "plain\" ;;\n"
         "    completion) opts=\"$opts bash\" ;;\n"
         "  esac\n"
         "  COMPREPLY=($(compgen -W \"$opts $global\" -- \"$cur\"))\n"
         "}\n"
         "complete -o default -F _runner runner\n";
}

}  // namespace

int cmd_completion(Context& ctx) {
  expect_args(ctx, 1, 1, "completion bash");
  if (ctx.settings().args[0] != "bash")
    throw UsageError("completion: '" + ctx.settings().args[0] + "' is not a shell runner writes completion for (bash)");
  print(bash_script());
  return 0;
}

}  // namespace runner::cli
