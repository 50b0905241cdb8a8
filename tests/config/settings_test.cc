#include "config/settings.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace bescheid::config {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;

TEST(SettingsTest, ShippedConfigParsesToTheProgrammeDefaults) {
  auto raw = LoadLayers(SourcePath("config/bescheid.properties"), true, {}, {});
  ASSERT_TRUE(raw.ok()) << raw.status().message();
  EXPECT_TRUE(UnknownKeys(*raw).empty());
  auto s = ParseSettings(*raw);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->rules.code, "IM-2017");
  EXPECT_EQ(s->rules.window_from, (core::Date{2017, 7, 24}));
  EXPECT_EQ(s->rules.window_to, (core::Date{2017, 12, 31}));
  EXPECT_EQ(s->rules.rate_a.micros(), 58000'000000);
  EXPECT_EQ(s->rules.rate_b.micros(), 52000'000000);
  EXPECT_EQ(s->rules.rate_c.micros(), 46000'000000);
  EXPECT_EQ(s->rules.per_head.micros(), 796'080000);
  EXPECT_EQ(s->rules.minimum.cents(), 51000'00);
  EXPECT_EQ(s->rules.tranche_percent.micros(), 60'000000);
  EXPECT_EQ(s->rules.tranche_year, 2017);
  // Paths are relative to the file's folder (config/).
  EXPECT_EQ(s->reference_path, "reference/gemeinden.csv");
  EXPECT_EQ(s->store_path, "../var/bescheid.sqlite");
  EXPECT_EQ(s->aktenzeichen_prefix, "RPS15-IM-2017-");
  EXPECT_EQ(s->intake_max_bytes, 10u * 1024 * 1024);
  EXPECT_EQ(s->authority.name, "Regierungspräsidium Stuttgart");
  EXPECT_EQ(s->authority.CourtFor("08317096"),
            "Verwaltungsgericht Freiburg, Habsburgerstraße 103, 79104 Freiburg "
            "im Breisgau");
  EXPECT_EQ(s->authority.CourtFor("08999001"), s->authority.default_court);
  // Relative to the configuration file's folder (config/).
  EXPECT_EQ(s->letters.templates_dir, "../templates/letters");
  EXPECT_EQ(s->letters.request_deadline_days, 28);
  EXPECT_EQ(s->rules.cap_split, core::CapSplit::kProportional);
  ASSERT_TRUE(s->rules.decision_from.has_value());
  ASSERT_TRUE(s->rules.decision_to.has_value());
  EXPECT_EQ(*s->rules.decision_from, (core::Date{2017, 9, 15}));
  EXPECT_EQ(*s->rules.decision_to, (core::Date{2019, 12, 31}));
  EXPECT_EQ(s->rules.count_date, (core::Date{2017, 9, 15}));
  EXPECT_FALSE(s->rules.guideline_date.has_value());
  EXPECT_EQ(s->rules.guideline.rfind("Fördergrundsätze", 0), 0u);
  EXPECT_EQ(s->authority.ReturnAddress(),
            "RP Stuttgart · Ruppmannstraße 21 · 70565 Stuttgart");
  EXPECT_EQ(s->authority.Clerk(), "Frau Mustermann");
  EXPECT_EQ(s->authority.ClerkPhone(), "0711 904-15210");
}

TEST(SettingsTest, LetterContentKeys) {
  auto raw = LoadLayers(
      "/nonexistent", false, {},
      {"programme.cap-split=reihenfolge", "programme.guideline-date=2017-07-20",
       "programme.decision-period.from=",
       "programme.decision-period.to=2018-06-30",
       "reference.count-date=2017-09-01"});
  ASSERT_TRUE(raw.ok());
  EXPECT_TRUE(UnknownKeys(*raw).empty());
  auto s = ParseSettings(*raw);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->rules.cap_split, core::CapSplit::kInOrder);
  EXPECT_EQ(s->rules.guideline_date, (core::Date{2017, 7, 20}));
  EXPECT_FALSE(s->rules.decision_from.has_value());
  EXPECT_EQ(s->rules.decision_to, (core::Date{2018, 6, 30}));
  EXPECT_EQ(s->rules.count_date, (core::Date{2017, 9, 1}));
  // Without authority.return-address the long form is used.
  EXPECT_EQ(s->authority.ReturnAddress(),
            "Regierungspräsidium Stuttgart · Ruppmannstraße 21 · 70565 "
            "Stuttgart");
  raw = LoadLayers("/nonexistent", false, {}, {"programme.cap-split=gleich"});
  auto bad = ParseSettings(*raw);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("einer von: anteilig, reihenfolge"),
            std::string::npos);
}

TEST(SettingsTest, AuthorityComesFromConfig) {
  auto raw = LoadLayers(
      "/nonexistent", false, {},
      {"authority.name=Regierungspräsidium Karlsruhe",
       "authority.court.2=VG Karlsruhe", "letters.request-deadline-days=14"});
  ASSERT_TRUE(raw.ok());
  EXPECT_TRUE(UnknownKeys(*raw).empty());
  auto s = ParseSettings(*raw);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->authority.name, "Regierungspräsidium Karlsruhe");
  EXPECT_EQ(s->authority.CourtFor("08212000"), "VG Karlsruhe");
  EXPECT_EQ(s->letters.request_deadline_days, 14);
}

TEST(SettingsTest, LayersOverrideInOrder) {
  TempDir dir;
  WriteFileOrDie(dir / "base.properties",
                 "programme.rate.A = 1.00\nprogramme.rate.B = 2.00\n"
                 "programme.rate.C = 3.00\n");
  WriteFileOrDie(dir / "over.properties", "programme.rate.B = 20.00\n");
  auto raw = LoadLayers(dir / "base.properties", true,
                        {dir / "over.properties"}, {"programme.rate.C=30.5"});
  ASSERT_TRUE(raw.ok());
  auto s = ParseSettings(*raw);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->rules.rate_a.micros(), 1'000000);
  EXPECT_EQ(s->rules.rate_b.micros(), 20'000000);
  EXPECT_EQ(s->rules.rate_c.micros(), 30'500000);
}

TEST(SettingsTest, MergePropertiesReadsTheFileFormatFromMemory) {
  const std::string shipped =
      ReadFileOrDie(SourcePath("config/bescheid.properties"));
  RawConfig from_text;
  ASSERT_TRUE(MergeProperties(shipped, "mem", from_text).ok());
  auto from_file =
      LoadLayers(SourcePath("config/bescheid.properties"), true, {}, {});
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(from_text, *from_file);

  RawConfig raw = {{"programme.rate.A", "1.00"}, {"store.path", "x"}};
  ASSERT_TRUE(MergeProperties("programme.rate.A = 2.50\n# comment\n"
                              "watch.root: /srv/w\n",
                              "mem", raw)
                  .ok());
  EXPECT_EQ(raw, (RawConfig{{"programme.rate.A", "2.50"},
                            {"store.path", "x"},
                            {"watch.root", "/srv/w"}}));
}

// Found by fuzz_config: a key with an empty first part made reading the
// layer recurse until the stack overflowed (SIGSEGV at start-up).
TEST(SettingsTest, KeyWithEmptyFirstPartIsKeptAsAnUnknownKey) {
  RawConfig raw;
  ASSERT_TRUE(
      MergeProperties(".a = 1\n. = 2\nwatch.root = w\n", "mem", raw).ok());
  EXPECT_EQ(raw, (RawConfig{{".", "2"}, {".a", "1"}, {"watch.root", "w"}}));
  EXPECT_EQ(UnknownKeys(raw), (std::vector<std::string>{".", ".a"}));

  TempDir dir;
  WriteFileOrDie(dir / "odd.properties", ".a = 1\nprogramme.rate.A = 2.00\n");
  auto layered =
      LoadLayers("/nonexistent", false, {dir / "odd.properties"}, {});
  ASSERT_TRUE(layered.ok()) << layered.status().message();
  EXPECT_EQ(layered->at(".a"), "1");
  auto s = ParseSettings(*layered);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->rules.rate_a.micros(), 2'000000);
}

TEST(SettingsTest, MissingBaseFileIsFineUnlessRequired) {
  TempDir dir;
  auto raw = LoadLayers(dir / "none.properties", false, {}, {});
  ASSERT_TRUE(raw.ok());
  EXPECT_TRUE(raw->empty());
  EXPECT_EQ(ParseSettings(*raw)->rules.rate_a.micros(), 58000'000000);
  EXPECT_FALSE(LoadLayers(dir / "none.properties", true, {}, {}).ok());
  auto missing = LoadLayers(dir / "none.properties", false, {dir / "x.p"}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("x.p"), std::string::npos);
}

TEST(SettingsTest, UnknownKeysFailClosedWithFileLineAndNearestKey) {
  TempDir dir;
  WriteFileOrDie(dir / "typo.properties",
                 "# comment\nprogramme.code = IM-2017\n"
                 "programme.tranche-percnt = 50\n");
  Origins origins;
  auto raw = LoadLayers(dir / "typo.properties", true, {}, {}, &origins);
  ASSERT_TRUE(raw.ok());
  Status s = CheckKnownKeys(*raw, origins);
  EXPECT_EQ(s.code(), StatusCode::kConfig);
  EXPECT_NE(s.message().find("'programme.tranche-percnt' ('" +
                             (dir / "typo.properties") + "', Zeile 3)"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("Meinten Sie 'programme.tranche-percent'?"),
            std::string::npos)
      << s.message();
  auto define = LoadLayers("", false, {}, {"watch.rot=/srv"}, &origins);
  Status d = CheckKnownKeys(*define, origins);
  EXPECT_NE(d.message().find("(--define). Meinten Sie 'watch.root'?"),
            std::string::npos)
      << d.message();
  auto shipped = LoadLayers(SourcePath("config/bescheid.properties"), true, {},
                            {}, &origins);
  EXPECT_TRUE(CheckKnownKeys(*shipped, origins).ok());
}

TEST(SettingsTest, PathsAreRelativeToTheFileThatSetsThem) {
  TempDir dir;
  WriteFileOrDie(dir / "etc/base.properties",
                 "reference.gemeinden = ref/g.csv\nstore.path = /var/j\n");
  WriteFileOrDie(dir / "more/over.properties", "letters.templates = t\n");
  Origins origins;
  auto raw = LoadLayers(dir / "etc/base.properties", true,
                        {dir / "more/over.properties"},
                        {"watch.root=inbox-root"}, &origins);
  ASSERT_TRUE(raw.ok());
  auto s = ParseSettings(*raw);
  ASSERT_TRUE(s.ok());
  ResolvePaths("/work/dir", origins, *s);
  EXPECT_EQ(s->reference_path, dir / "etc/ref/g.csv");
  EXPECT_EQ(s->store_path, "/var/j");  // absolute stays
  EXPECT_EQ(s->letters.templates_dir, dir / "more/t");
  EXPECT_EQ(s->watch.root, "/work/dir/inbox-root");  // --define: cwd
}

TEST(SettingsTest, DefaultConfigFileFollowsTheLookupOrder) {
  TempDir dir;
  WriteFileOrDie(dir / "source/bescheid.properties", "");
  ::setenv("BESCHEID_CONFIG", (dir / "env.properties").c_str(), 1);
  EXPECT_EQ(DefaultConfigFile(dir / "source/bescheid.properties"),
            dir / "env.properties");
  ::unsetenv("BESCHEID_CONFIG");
  if (!std::filesystem::exists("/etc/bescheid/bescheid.properties")) {
    EXPECT_EQ(DefaultConfigFile(dir / "source/bescheid.properties"),
              dir / "source/bescheid.properties");
    EXPECT_EQ(DefaultConfigFile(dir / "none.properties"), "");
  }
}

// One table: every key read has a type, a default and a meaning, and the
// document for administrators is generated from it.
TEST(SettingsTest, EveryKeyIsDocumentedFromTheOneTable) {
  const std::vector<KeyDoc> docs = DescribeKeys();
  ASSERT_GE(docs.size(), 50u);
  for (const KeyDoc& d : docs) {
    EXPECT_FALSE(d.type.empty()) << d.key;
    EXPECT_FALSE(d.meaning.empty()) << d.key << " has no meaning";
  }
  const auto find = [&](const std::string& key) {
    for (const KeyDoc& d : docs) {
      if (d.key == key) return d;
    }
    return KeyDoc{};
  };
  EXPECT_EQ(find("watch.stable-seconds").default_value, "5");
  EXPECT_EQ(find("watch.stable-seconds").type, "whole number 0 to 3600");
  EXPECT_EQ(find("programme.tranche-percent").default_value, "60");
  // Each documented default reads back as a valid value of its key.
  for (const KeyDoc& d : docs) {
    auto parsed = ParseSettings({{d.key, d.default_value}});
    EXPECT_TRUE(parsed.ok()) << d.key << " = '" << d.default_value
                             << "': " << parsed.status().message();
  }
  EXPECT_EQ(find("watch.polling").default_value, "false");
  EXPECT_EQ(KnownKeys().size(), docs.size());
  // The shipped file sets only known keys, and the document is current.
  EXPECT_EQ(ReadFileOrDie(SourcePath("docs/configuration.md")),
            ConfigurationMarkdown())
      << "regenerate: build/bin/bescheid config doc > docs/configuration.md";
}

TEST(SettingsTest, UnknownKeysAreListedNotRejected) {
  auto raw = LoadLayers(
      "/nonexistent", false, {},
      {"programme.rate.D=1", "programme.minimum=0", "letter.typo=1"});
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(UnknownKeys(*raw),
            (std::vector<std::string>{"letter.typo", "programme.rate.D"}));
  EXPECT_TRUE(ParseSettings(*raw).ok());
}

TEST(SettingsTest, BadValuesNameKeyAndValue) {
  struct Case {
    const char* define;
    const char* key;
  } cases[] = {
      {"programme.rate.A=58.000,00", "programme.rate.A"},
      {"programme.window.from=24.07.2017", "programme.window.from"},
      {"programme.minimum=1.001", "programme.minimum"},
      {"programme.tranche-year=zwei", "programme.tranche-year"},
      {"programme.per-head=-1", "programme.per-head"},
      {"intake.max-bytes=0", "intake.max-bytes"},
  };
  for (const Case& c : cases) {
    auto raw = LoadLayers("/nonexistent", false, {}, {c.define});
    ASSERT_TRUE(raw.ok());
    auto s = ParseSettings(*raw);
    ASSERT_FALSE(s.ok()) << c.define;
    EXPECT_EQ(s.status().code(), StatusCode::kConfig);
    EXPECT_NE(s.status().message().find(c.key), std::string::npos)
        << s.status().message();
  }
}

TEST(SettingsTest, InconsistentValuesAreRejected) {
  auto raw = LoadLayers("/nonexistent", false, {},
                        {"programme.window.from=2018-01-01"});
  EXPECT_FALSE(ParseSettings(*raw).ok());
  raw =
      LoadLayers("/nonexistent", false, {}, {"programme.tranche-percent=101"});
  EXPECT_FALSE(ParseSettings(*raw).ok());
  raw = LoadLayers("/nonexistent", false, {},
                   {"programme.decision-period.from=2018-01-01",
                    "programme.decision-period.to=2017-12-31"});
  EXPECT_FALSE(ParseSettings(*raw).ok());
  // Deciding before the count date: no planning budget exists yet.
  raw = LoadLayers("/nonexistent", false, {},
                   {"programme.decision-period.from=2017-09-01"});
  auto early = ParseSettings(*raw);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("reference.count-date"),
            std::string::npos);
}

TEST(SettingsTest, RelativePathsResolveAgainstTheStartDirectory) {
  Settings s;
  s.store_path = "/var/lib/bescheid/j.sqlite";
  ResolvePaths("/opt/bescheid/", s);
  EXPECT_EQ(s.store_path, "/var/lib/bescheid/j.sqlite");
  EXPECT_EQ(s.watch.root, "/opt/bescheid/watch-dirs");
  EXPECT_EQ(s.letters.templates_dir, "/opt/bescheid/templates/letters");
  EXPECT_EQ(s.reference_path, "/opt/bescheid/config/reference/gemeinden.csv");
  EXPECT_EQ(s.watch.log_file, "");  // empty stays empty: standard output
}

TEST(SettingsTest, MalformedDefineIsAnError) {
  EXPECT_FALSE(LoadLayers("/nonexistent", false, {}, {"novalue"}).ok());
  EXPECT_FALSE(LoadLayers("/nonexistent", false, {}, {"=1"}).ok());
  auto empty_value = LoadLayers("/nonexistent", false, {}, {"store.path="});
  ASSERT_TRUE(empty_value.ok());
  EXPECT_EQ(empty_value->at("store.path"), "");
}

}  // namespace
}  // namespace bescheid::config

namespace bescheid::config {
namespace {

TEST(SettingsTest, ScanKeysDefaultToTheIssuesCapsAndParse) {
  Result<Settings> defaults = ParseSettings({});
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  const scan::ScanLimits& d = defaults->scan.limits;
  EXPECT_EQ(d.max_bytes, 104857600u);
  EXPECT_EQ(d.max_pixels_per_side, 10000);
  EXPECT_EQ(d.max_megapixels, 80);
  EXPECT_EQ(d.max_pages, 50);
  EXPECT_EQ(d.page_timeout_seconds, 60);
  EXPECT_EQ(d.pdf_dpi, 300);
  EXPECT_EQ(defaults->scan.min_confidence.micros(), 800000);
  EXPECT_EQ(defaults->scan.tessdata, "/usr/share/tesseract-ocr/5/tessdata");

  auto raw =
      LoadLayers("/nonexistent", false, {},
                 {"scan.max-bytes=2048", "scan.max-pixels-per-side=7000",
                  "scan.max-megapixels=40", "scan.max-pages=10",
                  "scan.page-timeout-seconds=20", "scan.pdf-dpi=200",
                  "scan.min-confidence=0.95", "scan.tessdata=/opt/tessdata"});
  ASSERT_TRUE(raw.ok());
  Result<Settings> s = ParseSettings(*raw);
  ASSERT_TRUE(s.ok()) << s.status().message();
  const scan::ScanLimits& l = s->scan.limits;
  EXPECT_EQ(l.max_bytes, 2048u);
  EXPECT_EQ(l.max_pixels_per_side, 7000);
  EXPECT_EQ(l.max_megapixels, 40);
  EXPECT_EQ(l.max_pages, 10);
  EXPECT_EQ(l.page_timeout_seconds, 20);
  EXPECT_EQ(l.pdf_dpi, 200);
  EXPECT_EQ(s->scan.min_confidence.micros(), 950000);
  EXPECT_EQ(s->scan.tessdata, "/opt/tessdata");
}

TEST(SettingsTest, BadScanValuesAreRejectedInGerman) {
  const char* cases[][2] = {
      {"scan.max-bytes=0", "eine ganze Zahl von 1 bis"},
      {"scan.max-pixels-per-side=99", "eine ganze Zahl von 100 bis 60000"},
      {"scan.max-megapixels=0", "eine ganze Zahl von 1 bis 2000"},
      {"scan.max-pages=0", "eine ganze Zahl von 1 bis 1000"},
      {"scan.page-timeout-seconds=0", "eine ganze Zahl von 1 bis 3600"},
      {"scan.pdf-dpi=72", "eine ganze Zahl von 100 bis 1200"},
      {"scan.min-confidence=1.01", "eine Zahl von 0 bis 1"},
      {"scan.min-confidence=-0.1", "eine nicht negative Dezimalzahl"},
      {"scan.min-confidence=0,8", "eine nicht negative Dezimalzahl"},
  };
  for (const auto& c : cases) {
    auto raw = LoadLayers("/nonexistent", false, {}, {c[0]});
    ASSERT_TRUE(raw.ok());
    Result<Settings> s = ParseSettings(*raw);
    ASSERT_FALSE(s.ok()) << c[0];
    EXPECT_EQ(s.status().code(), StatusCode::kConfig);
    const std::string key =
        std::string(c[0]).substr(0, std::string(c[0]).find('='));
    EXPECT_NE(s.status().message().find("'" + key + "'"), std::string::npos)
        << s.status().message();
    EXPECT_NE(s.status().message().find(c[1]), std::string::npos)
        << s.status().message();
  }
}

TEST(SettingsTest, TessdataIsAPathRelativeToItsFile) {
  Settings s;
  s.scan.tessdata = "tessdata";
  ResolvePaths("/opt/bescheid", {{"scan.tessdata", "/etc/b/b.properties"}}, s);
  EXPECT_EQ(s.scan.tessdata, "/etc/b/tessdata");
}

}  // namespace
}  // namespace bescheid::config
