// Configuration: a Poco properties file (config/bescheid.properties), layered
// under --config files and --define key=value overrides, turned into typed
// settings for every module. All programme parameters live here, because the
// authority sets them per programme year.
#ifndef BESCHEID_CONFIG_SETTINGS_H_
#define BESCHEID_CONFIG_SETTINGS_H_

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/authority.h"
#include "core/programme.h"
#include "core/status.h"
#include "review/server_options.h"
#include "scan/limits.h"

namespace bescheid::config {

// Raw key/value view of the layered configuration, highest layer winning.
using RawConfig = std::map<std::string, std::string>;

// Where each key's value came from: the configuration file's path, or ""
// for a --define.
using Origins = std::map<std::string, std::string>;

// Reads the layers in order: `base_file` (skipped when it does not exist and
// `base_required` is false), each of `files` (all must exist), then each
// "key=value" of `defines`. Errors (unreadable file, malformed define) are
// kConfig with a message naming the file or define.
Result<RawConfig> LoadLayers(const std::string& base_file, bool base_required,
                             const std::vector<std::string>& files,
                             const std::vector<std::string>& defines);
// The same, also telling where each key's value came from.
Result<RawConfig> LoadLayers(const std::string& base_file, bool base_required,
                             const std::vector<std::string>& files,
                             const std::vector<std::string>& defines,
                             Origins* origins);

// Fails closed on the first key no module knows (a typo must not let the
// default pay out): kConfig naming the file and line (or the --define) and
// the nearest known key.
Status CheckKnownKeys(const RawConfig& raw, const Origins& origins);

// The configuration file used when no --config is given: $BESCHEID_CONFIG,
// else /etc/bescheid/bescheid.properties, else `source_tree_config` (the
// repository's, when run from a build tree), else "" (built-in defaults).
std::string DefaultConfigFile(const std::string& source_tree_config);

// Adds the properties in `text` (Poco properties syntax, the format of
// config/bescheid.properties and of --config files) to `raw`; keys already in
// `raw` are overridden. A malformed text is kConfig naming `source`; `raw` may
// then hold part of it. Same parser as LoadLayers uses for file layers.
Status MergeProperties(std::string_view text, const std::string& source,
                       RawConfig& raw);

// Every key some module reads.
const std::vector<std::string>& KnownKeys();

// One key of the configuration: its type, built-in default and meaning.
struct KeyDoc {
  std::string key;
  std::string type;
  std::string default_value;
  std::string meaning;
};
// Every key, in the order they are read, from the one list of reads in
// settings.cc (so no key can be documented differently from how it is
// parsed).
std::vector<KeyDoc> DescribeKeys();
// docs/configuration.md: the table of every key.
std::string ConfigurationMarkdown();

// The 1-based line of `file` where `key` is set (0 if not found).
int LineOfKeyInFile(const std::string& file, const std::string& key);

// Keys that no module knows: each deserves a warning (a typo must not pass
// silently), but none is an error, so later modules' keys can be set early.
std::vector<std::string> UnknownKeys(const RawConfig& raw);

// Where the letter module finds its files.
struct LetterFiles {
  std::string templates_dir = "templates/letters";
  std::string font_regular = "fonts/DejaVuSans-letters.ttf";
  std::string font_bold = "fonts/DejaVuSans-Bold-letters.ttf";
  std::string icc_profile = "/usr/share/color/icc/sRGB.icc";
  int request_deadline_days = 28;
};

// Where the paper form (bescheid form) finds its files.
struct FormFiles {
  std::string layout = "templates/forms/antrag-1.0.form";
  std::string font_handwriting =
      "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf";
};

// The watcher daemon (bescheid watch).
struct WatchSettings {
  std::string root = "watch-dirs";
  int rescan_seconds = 60;       // full inbox scan at least this often
  int stable_seconds = 5;        // size and mtime unchanged this long
  int incomplete_seconds = 300;  // then an unfinished file is rejected
  bool polling = false;          // no inotify (network mounts)
  int workers = 0;               // 0: one per core
  int shutdown_seconds = 30;     // to finish files in flight on SIGTERM
  int status_seconds = 300;      // a status line in the log; 0: none
  int timeout_seconds = 120;     // intake.timeout-seconds per file
  int max_attempts = 3;          // intake.max-attempts
  std::vector<std::string> ignore = {".*",          "~$*",        "*.tmp",
                                     "*.part",      "*.filepart", "Thumbs.db",
                                     "desktop.ini", ".DS_Store",  "@eaDir"};
  std::string log_level = "information";
  std::string log_file;  // empty: standard output
};

// Scanned paper: the intake's caps (scan/limits.h holds their built-in
// defaults) and what the reader needs.
struct ScanSettings {
  scan::ScanLimits limits;
  // Fields read with less confidence (0 to 1) go to a person.
  core::Decimal min_confidence = core::Decimal::FromMicros(800'000);
  std::string tessdata = "/usr/share/tesseract-ocr/5/tessdata";
};

// Print batches (bescheid print and the service; docs/printing.md).
struct PrintSettings {
  std::string mode = "off";    // off | batch | immediate
  std::string queue;           // the CUPS queue; empty: none configured
  int batch_minute = 16 * 60;  // print.batch-time, minutes after midnight
  int wait_seconds = 60;       // for a job's outcome before leaving it SENT
};

// Release of letters (Schlusszeichnung, docs/release.md): "auto" writes
// each letter to outbox/<date>/ when it is decided; "manual" keeps it as a
// draft in entwurf/ until a user with the release role releases it in the
// review station.
struct ReleaseSettings {
  std::string mode = "auto";
  bool manual() const { return mode == "manual"; }
};

struct Settings {
  core::ProgrammeRules rules;
  ReleaseSettings release;
  WatchSettings watch;
  core::Authority authority;
  LetterFiles letters;
  FormFiles forms;
  ScanSettings scan;
  review::ServerOptions http;  // the review station (http.*)
  PrintSettings print;
  uint64_t intake_max_bytes = 10u << 20;  // an XML application
  std::string reference_path = "config/reference/gemeinden.csv";
  std::string store_path = "var/bescheid.sqlite";
  // Most decisions made durable and committed together (store.commit-group,
  // docs/durability.md).
  int store_commit_group = 64;
  std::string aktenzeichen_prefix = "RPS15-IM-2017-";

  // How much of an input file is read before its kind is known: the larger
  // of the XML cap (intake.max-bytes) and the scan cap (scan.max-bytes).
  // Each kind is then held to its own cap.
  uint64_t MaxInputBytes() const {
    return std::max<uint64_t>(intake_max_bytes, scan.limits.max_bytes);
  }
};

// Typed settings from the raw configuration; built-in defaults for missing
// keys. Errors name the key and the bad value.
Result<Settings> ParseSettings(const RawConfig& raw);

// Makes every relative path in `settings` absolute against `base` (the
// working directory at start-up), so that a daemon may change directory.
void ResolvePaths(const std::string& base, Settings& settings);
// The same, but a path set in a configuration file is resolved against that
// file's folder (so the file works from any working directory); paths from
// --define and built-in defaults against `cwd`.
void ResolvePaths(const std::string& cwd, const Origins& origins,
                  Settings& settings);

}  // namespace bescheid::config

#endif  // BESCHEID_CONFIG_SETTINGS_H_
