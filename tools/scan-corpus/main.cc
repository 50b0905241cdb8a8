// scan-corpus: writes the synthetic scan corpus (docs/scan-corpus.md).
//
//   scan-corpus --out DIR [--seed N] [--variants all|NAME,NAME...]
//               [--count N] [--no-barcode] [--config FILE] [APP.xml...]
//
// Without APP.xml it takes the repository's examples/*.xml. The form's
// layout and fonts come from the configuration (forms.layout,
// forms.font.handwriting, letters.font.*, letters.icc-profile), the
// repository's config/bescheid.properties unless --config is given.
// Exit 0 when every document was written, 1 on an error, 2 on bad usage.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "config/settings.h"
#include "corpus.h"
#include "env/env.h"
#include "form_source.h"
#include "xml/application_reader.h"

namespace bescheid::corpus {
namespace {

struct Args {
  CorpusOptions options;
  std::string config = BESCHEID_SOURCE_DIR "/config/bescheid.properties";
  std::vector<std::string> inputs;
};

constexpr char kUsage[] =
    "usage: scan-corpus --out DIR [--seed N] [--variants all|NAME,...] "
    "[--count N] [--no-barcode]\n"
    "                   [--config FILE] [APP.xml...]\n";

Status ParseVariants(const std::string& list, CorpusOptions& options) {
  if (list == "all") return Status::Ok();
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t end = std::min(list.find(',', start), list.size());
    const std::string name = list.substr(start, end - start);
    const Variant* v = FindVariant(name);
    if (v == nullptr) return ConfigError("unknown variant '" + name + "'");
    options.variants.push_back(v);
    start = end + 1;
  }
  return Status::Ok();
}

Result<Args> ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      a.inputs.push_back(arg);
      continue;
    }
    if (arg == "--no-barcode") {
      a.options.barcode = false;
      continue;
    }
    if (i + 1 >= argc) return ConfigError(arg + " needs a value");
    const std::string value = argv[++i];
    if (arg == "--out") {
      a.options.out_dir = value;
    } else if (arg == "--seed") {
      a.options.seed = std::strtoull(value.c_str(), nullptr, 10);
    } else if (arg == "--count") {
      a.options.copies = std::max(1, std::atoi(value.c_str()));
    } else if (arg == "--variants") {
      if (Status s = ParseVariants(value, a.options); !s.ok()) return s;
    } else if (arg == "--config") {
      a.config = value;
    } else {
      return ConfigError("unknown option " + arg);
    }
  }
  if (a.options.out_dir.empty()) return ConfigError("--out is required");
  return a;
}

std::vector<std::string> ExampleFiles() {
  std::vector<std::string> files;
  for (const auto& e :
       std::filesystem::directory_iterator(BESCHEID_SOURCE_DIR "/examples")) {
    if (e.path().extension() == ".xml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::vector<Source>> ReadSources(const std::vector<std::string>& paths,
                                        Env& env) {
  Result<std::unique_ptr<xml::ApplicationReader>> reader =
      xml::ApplicationReader::Create();
  if (!reader.ok()) return reader.status();
  std::vector<Source> sources;
  for (const std::string& path : paths) {
    Result<std::string> xml = env.ReadFile(path, 10u << 20);
    if (!xml.ok()) return xml.status();
    Result<core::Application> app = (*reader)->Read(*xml, BaseName(path));
    if (!app.ok()) return app.status();
    std::string name = BaseName(path);
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".xml") == 0) {
      name.resize(name.size() - 4);
    }
    sources.push_back(
        Source{path, name, std::move(xml).value(), std::move(app).value()});
  }
  return sources;
}

// The paper form as the configuration at `config_file` describes it.
Result<std::unique_ptr<PaperForm>> LoadForm(const std::string& config_file) {
  config::Origins origins;
  Result<config::RawConfig> raw =
      config::LoadLayers(config_file, true, {}, {}, &origins);
  if (!raw.ok()) return raw.status();
  if (Status s = config::CheckKnownKeys(*raw, origins); !s.ok()) return s;
  Result<config::Settings> settings = config::ParseSettings(*raw);
  if (!settings.ok()) return settings.status();
  config::ResolvePaths(std::filesystem::current_path().string(), origins,
                       *settings);
  formpdf::FormFonts fonts;
  fonts.regular_ttf = settings->letters.font_regular;
  fonts.bold_ttf = settings->letters.font_bold;
  fonts.icc_profile = settings->letters.icc_profile;
  fonts.handwriting_ttf = settings->forms.font_handwriting;
  return PaperForm::Create(settings->forms.layout, fonts);
}

int Run(int argc, char** argv) {
  Result<Args> args = ParseArgs(argc, argv);
  if (!args.ok()) {
    std::cerr << "scan-corpus: " << args.status().message() << "\n" << kUsage;
    return 2;
  }
  Env& env = *DefaultEnv();
  Result<std::vector<Source>> sources =
      ReadSources(args->inputs.empty() ? ExampleFiles() : args->inputs, env);
  if (!sources.ok()) {
    std::cerr << "scan-corpus: " << sources.status().message() << "\n";
    return 2;
  }
  Result<std::unique_ptr<PaperForm>> form = LoadForm(args->config);
  if (!form.ok()) {
    std::cerr << "scan-corpus: " << form.status().message() << "\n";
    return 2;
  }
  Result<std::vector<std::string>> written =
      GenerateCorpus(*sources, args->options, **form, env);
  if (!written.ok()) {
    std::cerr << "scan-corpus: " << written.status().message() << "\n";
    return 1;
  }
  std::cout << "scan-corpus: " << written->size() << " files in "
            << args->options.out_dir << "\n";
  return 0;
}

}  // namespace
}  // namespace bescheid::corpus

int main(int argc, char** argv) { return bescheid::corpus::Run(argc, argv); }
