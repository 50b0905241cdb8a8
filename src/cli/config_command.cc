// `bescheid config show|check`: the effective configuration and where each
// value came from, and a check of everything a start would need, without
// starting anything.
#include <unistd.h>

#include <iostream>

#include "cli/app.h"
#include "cli/common.h"
#include "letters/letter.h"
#include "pipeline/pipeline.h"

namespace bescheid::cli {
namespace {

// "config/bescheid.properties, Zeile 12", "--define" or "Standard".
std::string OriginOf(const std::string& key, const config::Origins& origins) {
  auto it = origins.find(key);
  if (it == origins.end()) return "eingebauter Standard";
  if (it->second.empty()) return "--define";
  const int line = config::LineOfKeyInFile(it->second, key);
  return it->second + (line > 0 ? ", Zeile " + std::to_string(line) : "");
}

// A folder that must exist and be writable by this process.
Status CheckWritableFolder(const std::string& what, const std::string& dir) {
  auto info = DefaultEnv()->Stat(dir);
  if (!info.ok() || info->type != FileType::kDirectory) {
    return ConfigError(what + " '" + dir + "' existiert nicht.");
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return ConfigError(what + " '" + dir + "' ist nicht beschreibbar.");
  }
  return Status::Ok();
}

}  // namespace

int App::Config(const std::vector<std::string>& args) {
  if (args.size() != 1 ||
      (args[0] != "show" && args[0] != "check" && args[0] != "doc")) {
    return UsageError("config", "'show', 'check' oder 'doc' angeben");
  }
  if (args[0] == "doc") {  // docs/configuration.md
    std::cout << config::ConfigurationMarkdown();
    return kExitOk;
  }
  config::RawConfig raw;
  config::Origins origins;
  Result<config::Settings> settings = LoadSettings(&raw, &origins);
  if (!settings.ok()) return StartFailure(settings.status());
  if (args[0] == "show") {
    std::cout << "# Konfiguration aus "
              << (config_file_.empty() ? "eingebauten Standardwerten"
                                       : config_file_)
              << "\n";
    for (const config::KeyDoc& doc : config::DescribeKeys()) {
      auto it = raw.find(doc.key);
      std::cout << doc.key << " = "
                << (it == raw.end() ? doc.default_value : it->second)
                << "    # " << OriginOf(doc.key, origins) << "\n";
    }
    return kExitOk;
  }
  std::vector<Status> problems;
  if (auto reference = LoadReference(*settings, DefaultEnv());
      !reference.ok()) {
    problems.push_back(reference.status());
  }
  if (auto letters = letters::LetterRenderer::Create(
          pipeline::MakeLetterOptions(*settings));
      !letters.ok()) {
    problems.push_back(letters.status());
  }
  problems.push_back(CheckWritableFolder("Der Ablageordner (watch.root)",
                                         settings->watch.root));
  // The journal creates its missing folders: the nearest existing one
  // must be writable.
  std::string store_dir = DirName(settings->store_path);
  while (!DefaultEnv()->Stat(store_dir).ok() && store_dir != "/" &&
         store_dir != ".") {
    store_dir = DirName(store_dir);
  }
  problems.push_back(CheckWritableFolder(
      "Der Ordner für das Journal (store.path)", store_dir));
  int bad = 0;
  for (const Status& s : problems) {
    if (s.ok()) continue;
    std::cerr << "bescheid: " << s.message() << "\n";
    ++bad;
  }
  if (bad > 0) return kExitUsage;
  std::cout << "Konfiguration in Ordnung ("
            << (config_file_.empty() ? "eingebaute Standardwerte"
                                     : config_file_)
            << ").\n";
  return kExitOk;
}

}  // namespace bescheid::cli
