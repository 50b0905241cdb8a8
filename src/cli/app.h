// The `bescheid` command: a Poco::Util::Application whose first argument is
// the subcommand (validate, process, help). initialize() reads and checks
// the configuration; main() runs the subcommand.
#ifndef BESCHEID_CLI_APP_H_
#define BESCHEID_CLI_APP_H_

#include <Poco/Util/Application.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"

namespace bescheid::pipeline {
struct Outcome;
}  // namespace bescheid::pipeline
namespace bescheid::print {
struct PrintOptions;
}  // namespace bescheid::print

namespace bescheid::cli {

// Exit codes of every subcommand.
enum ExitCode {
  kExitOk = 0,          // every input got its outcome
  kExitSomeFailed = 1,  // some input was rejected, a duplicate, or failed
  kExitUsage = 2,       // usage or configuration error
  // `process`: nothing failed, but some application waits, undecided, for
  // the review of an earlier scanned one (3 is an internal error).
  kExitDeferred = 4,
};

struct Service;  // the running watcher and what it needs (watch.cc)
class Progress;

class App : public Poco::Util::Application {
 public:
  App();

 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  int main(const std::vector<std::string>& args) override;

 private:
  // The layered configuration (see app.cc); `raw` and `origins`, if given,
  // receive the raw values and where each came from.
  Result<config::Settings> LoadSettings(config::RawConfig* raw = nullptr,
                                        config::Origins* origins = nullptr);
  int Config(const std::vector<std::string>& args);
  int Validate(const std::vector<std::string>& files);
  int Process(const std::vector<std::string>& files);
  bool ReportOutcome(const std::string& file, const pipeline::Outcome& o,
                     long ms, bool live, Progress& progress);
  int Watch(const std::vector<std::string>& args);
  int Preview(const std::vector<std::string>& files);
  int Deadlines(const std::vector<std::string>& args);  // deadlines_command.cc
  int Form(const std::vector<std::string>& args);       // form_command.cc
  int Register(const std::vector<std::string>& args);   // register_command.cc
  int Print(const std::vector<std::string>& args);      // print_command.cc
  int RunPrint(const config::Settings& settings,
               const print::PrintOptions& options);
  int User(const std::vector<std::string>& args);       // user_command.cc
  void ConfigureLogging(const config::Settings& settings);
  // Opens the store, loads what the watcher needs and starts it.
  Result<std::unique_ptr<Service>> StartService(const config::Settings& s);
  // Starts the service's printing when print.mode asks for it (watch.cc).
  Status StartPrinting(const config::Settings& s, Service& service);
  // Stops the watcher, or ends the process when it does not stop in time.
  void StopOrExit(Service& service, int seconds);
  // SIGHUP: restarts the service with the configuration `load` returns,
  // keeping the running one when it is bad. False if nothing could start.
  bool Reload(const std::function<Result<config::Settings>()>& load,
              Result<config::Settings>& settings,
              Result<std::unique_ptr<Service>>& service);

  bool help_ = false;
  bool version_ = false;
  std::vector<std::string> config_files_;
  std::vector<std::string> defines_;
  std::optional<std::string> out_dir_;
  std::optional<std::string> from_list_;  // process --from-list
  int workers_ = 1;
  bool daemon_ = false;
  bool init_ = false;
  std::optional<std::string> pidfile_;
  std::optional<std::string> as_of_;      // deadlines --date
  bool all_ = false;                      // deadlines --all
  std::optional<std::string> from_, to_;  // register --from, --to
  struct PrintFlags {
    std::optional<std::string> since;  // print --since
    std::optional<std::string> queue;  // print --queue
    bool dry_run = false;
    bool reprint = false;
  } print_;
  std::optional<std::string> role_;       // user add --role
  std::string config_file_;  // the base configuration file LoadSettings used
  struct FormFlags {
    std::optional<std::string> prefill;
    bool no_barcode = false;
    bool sample_signature = false;
    bool handwriting = false;
  } form_;
};

// Help texts (German, for the people who run the tool).
std::string GeneralHelp();
// Empty if `command` is unknown.
std::string CommandHelp(const std::string& command);

}  // namespace bescheid::cli

#endif  // BESCHEID_CLI_APP_H_
