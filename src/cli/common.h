// Helpers shared by the subcommands (private to the cli module).
#ifndef BESCHEID_CLI_COMMON_H_
#define BESCHEID_CLI_COMMON_H_

#include "config/settings.h"
#include "core/programme.h"
#include "core/status.h"
#include "env/env.h"
#include "store/journal.h"

namespace bescheid::cli {

// Reports a problem that keeps a command from starting (configuration,
// reference table, templates, journal) on stderr and returns the exit code
// for it.
int StartFailure(const Status& status);

// Reports a call of `bescheid <command>` that is wrong (`problem`, German)
// with the command's help on stderr and returns the exit code for it.
int UsageError(const std::string& command, const std::string& problem);

// The reference table named by `reference.gemeinden`; errors name the key
// and the file.
Result<core::ReferenceTable> LoadReference(const config::Settings& settings,
                                           Env* env);

// The journal (store.path) opened read-only, for commands that report on
// it beside a running service; a German message when it does not exist.
Result<std::unique_ptr<store::Journal>> OpenJournalForReading(
    const config::Settings& settings);

// The help text of `bescheid deadlines` (deadlines_command.cc).
std::string DeadlinesHelp();
// The help text of `bescheid form` (form_command.cc).
std::string FormHelp();
// The help text of `bescheid register` (register_command.cc).
std::string RegisterHelp();
// The help text of `bescheid print` (print_command.cc).
std::string PrintHelp();
// The help text of `bescheid user` (user_command.cc).
std::string UserHelp();

// The German sentence for a file that could not be read (`status` is not
// kInvalidInput): missing, or unreadable with the technical reason.
std::string ReadFailure(const Status& status);

// On stderr: the German report of an application that is not valid (as
// `validate` gives it), or why the file could not be read.
void ReportFileProblem(const std::string& file, const Status& status);

}  // namespace bescheid::cli

#endif  // BESCHEID_CLI_COMMON_H_
