// Black-box tests: hostile XML (and things posing as XML) dropped into the
// inbox of the real `bescheid watch`. Each must end in rejected/ with a
// German note, without the daemon reading files it was not given, growing
// beyond 1 GiB, or failing to stop on SIGTERM.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "hostile/hostile_util.h"

namespace bescheid::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr long kOneGiBInKb = 1024L * 1024L;
const char kSecret[] = "GEHEIM-7f3a-nicht-lesen";

// The application with `text` inserted right after the XML declaration.
std::string WithPrologue(const std::string& text, int n) {
  std::string doc = Application(n);
  const size_t at = doc.find("?>") + 2;
  return doc.substr(0, at) + "\n" + text + doc.substr(at);
}

// The application with the applicant's name replaced by `text`.
std::string WithName(std::string doc, const std::string& text) {
  const std::string from = "<Name>Stadt Tettnang</Name>";
  doc.replace(doc.find(from), from.size(), "<Name>" + text + "</Name>");
  return doc;
}

// UTF-8 to UTF-16LE (BMP and supplementary planes).
std::string Utf16Le(const std::string& utf8, bool bom) {
  std::string out = bom ? std::string("\xFF\xFE", 2) : std::string();
  auto put = [&](uint32_t u) {
    out.push_back(static_cast<char>(u & 0xFF));
    out.push_back(static_cast<char>(u >> 8));
  };
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp;
    size_t n;
    if (c < 0x80) {
      cp = c;
      n = 0;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      n = 1;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      n = 2;
    } else {
      cp = c & 0x07;
      n = 3;
    }
    for (size_t k = 1; k <= n; ++k) cp = (cp << 6) | (utf8[i + k] & 0x3F);
    i += n + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xD800 + (cp >> 10));
      put(0xDC00 + (cp & 0x3FF));
    } else {
      put(cp);
    }
  }
  return out;
}

struct HostileInput {
  const char* name;  // test name suffix and file name stem
  std::function<std::string(const TempDir&)> make;
};

void PrintTo(const HostileInput& input, std::ostream* os) { *os << input.name; }

std::string ExternalEntity(const TempDir& dir) {
  return WithName(WithPrologue("<!DOCTYPE Foerderantrag [\n"
                               "  <!ENTITY pw SYSTEM \"file:///etc/passwd\">\n"
                               "  <!ENTITY sec SYSTEM \"file://" +
                                   (dir / "outside/geheim.txt") + "\">\n]>",
                               101),
                  "&pw;&sec;");
}

std::string BillionLaughs(const TempDir&) {
  std::string dtd = "<!DOCTYPE Foerderantrag [\n  <!ENTITY lol0 \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    dtd += "  <!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) dtd += "&lol" + std::to_string(i - 1) + ";";
    dtd += "\">\n";
  }
  dtd += "]>";
  return WithName(WithPrologue(dtd, 102), "&lol9;");
}

// One 100 kB entity referenced 10,000 times: 1 GB once expanded.
std::string QuadraticBlowup(const TempDir&) {
  const std::string dtd = "<!DOCTYPE Foerderantrag [\n  <!ENTITY a \"" +
                          std::string(100 * 1000, 'a') + "\">\n]>";
  std::string refs;
  for (int i = 0; i < 10000; ++i) refs += "&a;";
  return WithName(WithPrologue(dtd, 103), refs);
}

std::string DeepNesting(const TempDir&) {
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "<Tief>";
  for (int i = 0; i < 10000; ++i) deep += "</Tief>";
  return WithName(Application(104), "Stadt Tettnang" + deep);
}

// 50 MB: a valid application padded by a comment after its declaration,
// so that only the intake size cap (10 MiB by default) can reject it.
std::string FiftyMegabytes(const TempDir&) {
  return WithPrologue("<!-- " + std::string(50 * 1000 * 1000, 'x') + " -->",
                      105);
}

std::string InvalidUtf8(const TempDir&) {
  std::string doc = Application(106);
  const std::string from = "Jana Müller";
  doc.replace(doc.find(from), from.size(), "Jana M\xFCller \xC3\x28 \xFF");
  return doc;
}

std::string Utf16Doc(bool bom) {
  std::string doc = Application(107);
  const std::string from = "encoding=\"UTF-8\"";
  doc.replace(doc.find(from), from.size(), "encoding=\"UTF-16\"");
  return Utf16Le(doc, bom);
}

std::string Garbage(const TempDir&) {
  std::mt19937 rng(20170814);
  std::string out(64 * 1024, '\0');
  for (char& c : out) c = static_cast<char>(rng() & 0xFF);
  return out;
}

const HostileInput kInputs[] = {
    {"ExternalEntity", ExternalEntity},
    {"BillionLaughs", BillionLaughs},
    {"QuadraticBlowup", QuadraticBlowup},
    {"DeepNesting", DeepNesting},
    {"FiftyMegabytes", FiftyMegabytes},
    {"InvalidUtf8", InvalidUtf8},
    {"Utf16LeWithBom", [](const TempDir&) { return Utf16Doc(true); }},
    {"Utf16LeWithoutBom", [](const TempDir&) { return Utf16Doc(false); }},
    {"EmptyFile", [](const TempDir&) { return std::string(); }},
    {"RandomGarbage", Garbage},
};

class HostileXmlTest : public HostileTest,
                       public ::testing::WithParamInterface<HostileInput> {};

// The input ends in rejected/ with a non-empty, valid UTF-8, German note
// about the file; no letter; the daemon stays up below 1 GiB peak RSS and
// stops on SIGTERM within shutdown-seconds + 3 s; neither /etc/passwd nor a
// file outside the root shows up in any output, and the outside file is
// unchanged.
TEST_P(HostileXmlTest, IsRejectedWithGermanNoteAndDaemonSurvives) {
  const HostileInput& input = GetParam();
  const std::string secret_path = dir_ / "outside/geheim.txt";
  WriteFileOrDie(secret_path, std::string(kSecret) + "\n");
  const std::string name = std::string(input.name) + ".xml";
  const std::string content = input.make(dir_);

  auto d = StartDaemon();
  ASSERT_TRUE(d->WaitWatching()) << d->LogTail();
  Drop(name, content);
  long peak_kb = 0;
  bool too_big = false;
  const bool rejected = WaitFor(
      [&] {
        peak_kb = std::max(peak_kb, d->PeakRssKb());
        if (peak_kb >= kOneGiBInKb) too_big = true;
        // Done once the claim in processing/ is gone too: the leak check
        // below reads every file under the root, and must not race the
        // daemon removing its claim.
        return too_big || (LExists(Root("rejected/" + name)) &&
                           LExists(Root("rejected/" + name + ".error.txt")) &&
                           EntriesUnder(Root("processing")).empty());
      },
      40s, 50ms);
  ASSERT_FALSE(too_big) << "peak RSS " << peak_kb << " KiB; killed";
  EXPECT_TRUE(rejected) << "letters: " << Letters() << "\n" << d->LogTail();
  EXPECT_TRUE(d->Running()) << "daemon died\n" << d->LogTail();
  peak_kb = std::max(peak_kb, d->PeakRssKb());
  EXPECT_LT(peak_kb, kOneGiBInKb);

  const std::string note = RejectionNote(name);
  EXPECT_FALSE(note.empty());
  EXPECT_TRUE(IsValidUtf8(note)) << note;
  EXPECT_TRUE(Contains(note, "Datei") || Contains(note, "Zeile")) << note;
  EXPECT_TRUE(Contains(note, "wurde nicht bearbeitet") ||
              Contains(note, "nicht"))
      << note;
  EXPECT_EQ(Letters(), 0u);
  if (rejected) {
    EXPECT_EQ(ReadFileOrDie(Root("rejected/" + name)), content);
  }

  // Nothing outside what it was given was read into an output or changed.
  std::string passwd_line = ReadFileOrDie("/etc/passwd");
  passwd_line = passwd_line.substr(0, passwd_line.find('\n'));
  for (const std::string& p : EntriesUnder(Root())) {
    if (LType(p) != S_IFREG || p == Root("rejected/" + name)) continue;
    const std::string text = ReadFileOrDie(p);
    EXPECT_FALSE(Contains(text, passwd_line)) << "/etc/passwd leaked to " << p;
    EXPECT_FALSE(Contains(text, kSecret)) << "outside file leaked to " << p;
  }
  EXPECT_FALSE(Contains(d->Log(), passwd_line));
  EXPECT_FALSE(Contains(d->Log(), kSecret));
  EXPECT_EQ(ReadFileOrDie(secret_path), std::string(kSecret) + "\n");

  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(d->Terminate(kTerminateLimit), 0) << d->LogTail();
  EXPECT_LE(std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started)
                .count(),
            std::chrono::milliseconds(kTerminateLimit).count());
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, HostileXmlTest, ::testing::ValuesIn(kInputs),
    [](const ::testing::TestParamInfo<HostileInput>& param_info) {
      return std::string(param_info.param.name);
    });

}  // namespace
}  // namespace bescheid::testing
