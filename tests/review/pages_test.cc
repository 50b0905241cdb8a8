// The station's pure parts: Prometheus text, German formatting of values,
// PNG sizes, request checks.
#include "review/pages.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "review/fake_station.h"
#include "review/metrics_text.h"
#include "review/site.h"

namespace bescheid::review {
namespace {

TEST(MetricsTextTest, EveryLineParsesAsPrometheusText) {
  Metrics m;
  m.files_by_outcome = {{"BEWILLIGUNG", 7}, {"PRUEFUNG", 2}, {"we\"ird\\", 1}};
  m.processing_seconds = {{0.5, 1, 5}, {3, 6, 7}, 7, 9.25};
  m.ocr_confidence = {{0.5, 0.8, 0.95}, {1, 4, 20}, 30, 26.1};
  m.inbox = 4;
  m.review = 2;
  m.letters_released = 5;
  const std::string text = PrometheusText(m);
  const std::regex sample(
      "bescheid_[a-z_]+(\\{[a-z_]+=\"([^\"\\\\\\n]|\\\\[\"\\\\n])*\"\\})? "
      "[-+0-9.eE]+|bescheid_[a-z_]+\\{le=\"\\+Inf\"\\} [0-9]+");
  const std::regex comment("# (HELP|TYPE) bescheid_[a-z_]+ .+");
  std::istringstream in(text);
  std::string line;
  int samples = 0;
  while (std::getline(in, line)) {
    if (line[0] == '#') {
      EXPECT_TRUE(std::regex_match(line, comment)) << line;
    } else {
      EXPECT_TRUE(std::regex_match(line, sample)) << line;
      ++samples;
    }
  }
  EXPECT_EQ(samples, 3 + 6 + 6 + 4 + 1);
  for (const char* expected :
       {"# TYPE bescheid_files_total counter\n",
        "bescheid_files_total{outcome=\"BEWILLIGUNG\"} 7\n",
        "bescheid_files_total{outcome=\"we\\\"ird\\\\\"} 1\n",
        "# TYPE bescheid_processing_seconds histogram\n",
        "bescheid_processing_seconds_bucket{le=\"0.5\"} 3\n",
        "bescheid_processing_seconds_bucket{le=\"+Inf\"} 7\n",
        "bescheid_processing_seconds_sum 9.25\n",
        "bescheid_processing_seconds_count 7\n",
        "bescheid_ocr_confidence_bucket{le=\"0.95\"} 20\n",
        "# TYPE bescheid_queue_files gauge\n",
        "bescheid_queue_files{queue=\"inbox\"} 4\n",
        "bescheid_queue_files{queue=\"awaiting_release\"} 0\n",
        "bescheid_letters_released_total 5\n"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected;
  }
}

TEST(PagesTest, GermanValues) {
  EXPECT_EQ(GermanDateTime("2026-11-26"), "26.11.2026");
  EXPECT_EQ(GermanDateTime("2026-11-26 14:05:09"), "26.11.2026 14:05");
  EXPECT_EQ(GermanDateTime("gestern"), "gestern");
  EXPECT_EQ(Percent(0.874), "87 %");
  EXPECT_EQ(Percent(1.5), "100 %");
  EXPECT_EQ(Percent(-1), "0 %");
  EXPECT_EQ(OutcomeLabel("PRUEFUNG"), "Prüfung");
  EXPECT_EQ(OutcomeCss("TEILBEWILLIGUNG"), "teilbewilligung");
  EXPECT_EQ(OutcomeCss("\"><script>"), "sonst");
}

TEST(PagesTest, PngSizeFromTheHeaderOnly) {
  auto size = PngSize(testing::FakePng(2480, 3508));
  ASSERT_TRUE(size);
  EXPECT_EQ(size->first, 2480);
  EXPECT_EQ(size->second, 3508);
  EXPECT_FALSE(PngSize("GIF89a...................."));
  EXPECT_FALSE(PngSize(testing::FakePng(0, 10)));
  EXPECT_FALSE(PngSize(testing::FakePng(2480, 3508).substr(0, 20)));
}

TEST(PagesTest, EverythingIsEscaped) {
  Viewer v{"<anna>", Role::kSachbearbeitung, "c\"s"};
  const std::string page =
      Pages::Layout("<T>", "/", &v, {{"fehler", "<b>&"}}, "<p>body</p>");
  EXPECT_NE(page.find("&lt;anna&gt;"), std::string::npos);
  EXPECT_NE(page.find("<title>&lt;T&gt; – bescheid</title>"),
            std::string::npos);
  EXPECT_NE(page.find("&lt;b&gt;&amp;"), std::string::npos);
  EXPECT_NE(page.find("value=\"c&quot;s\""), std::string::npos);
  EXPECT_NE(page.find("<p>body</p>"), std::string::npos);
  EXPECT_EQ(page.find("<anna>"), std::string::npos);
  EXPECT_TRUE(Pages::Check().ok());
}

TEST(PagesTest, CaseIdsAndNames) {
  EXPECT_TRUE(IsCaseId("872b1998c3a3-1"));
  for (const char* bad : {"", "-1", "../x", "872B", "a/b", "a.b", "a b"}) {
    EXPECT_FALSE(IsCaseId(bad)) << bad;
  }
  EXPECT_TRUE(IsPlainName("RPS15-IM-2017-0007"));
  EXPECT_TRUE(IsPlainName("RPS15-IM-2017-0007-2"));
  for (const char* bad : {"", ".x", "-x", "a..b", "a/b", "a%2fb", "a b"}) {
    EXPECT_FALSE(IsPlainName(bad)) << bad;
  }
}

TEST(PagesTest, FormDecoding) {
  auto form = ParseForm("a=1&b=x+y%21&a=2&empty=&flag", 10);
  ASSERT_TRUE(form);
  EXPECT_EQ(form->count("a"), 2u);
  EXPECT_EQ(form->find("b")->second, "x y!");
  EXPECT_EQ(form->find("empty")->second, "");
  EXPECT_EQ(form->find("flag")->second, "");
  EXPECT_FALSE(ParseForm("a=%zz", 10));
  EXPECT_FALSE(ParseForm("a=1&b=2&c=3", 2));
  EXPECT_TRUE(ParseForm("", 10)->empty());
}

}  // namespace
}  // namespace bescheid::review
