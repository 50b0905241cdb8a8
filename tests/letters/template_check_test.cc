#include "letters/template_check.h"

#include <gtest/gtest.h>

#include <kainjow/mustache.hpp>
#include <map>
#include <string>

namespace bescheid::letters {
namespace {

namespace mu = kainjow::mustache;

const std::map<std::string, std::string> kPartials = {
    {"gruss", "Mit freundlichen Grüßen\n{{name}}\n"},
    {"liste", "{{#punkte}}\n- {{.}}\n{{/punkte}}\n"},
    {"innen", "[{{name}}]"},
    {"aussen", "<{{> innen}}>\n"},
};

// The text kainjow's mustache renders for `source` with the partials given
// as partials (parsed again at each tag, as the renderer did before).
std::string WithPartialTags(const std::string& source, mu::data data) {
  for (const auto& [name, text] : kPartials) {
    const std::string copy = text;
    data.set(name, mu::partial([copy] { return copy; }));
  }
  mu::mustache t(source);
  EXPECT_TRUE(t.is_valid()) << t.error_message();
  return t.render(data);
}

std::string Inlined(const std::string& source, const mu::data& data) {
  Result<std::string> whole = InlinePartials(source, kPartials);
  EXPECT_TRUE(whole.ok()) << whole.status().message();
  if (!whole.ok()) return "";
  EXPECT_EQ(whole->find("{{>"), std::string::npos) << *whole;
  mu::mustache t(*whole);
  EXPECT_TRUE(t.is_valid()) << t.error_message();
  return t.render(data);
}

TEST(InlinePartialsTest, ReplacesEachTagWithThePartialsSource) {
  Result<std::string> r = InlinePartials("A\n{{> gruss}}\nB", kPartials);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "A\nMit freundlichen Grüßen\n{{name}}\n\nB");
  r = InlinePartials("{{>aussen}}{{{roh}}}{{! x }}", kPartials);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "<[{{name}}]>\n{{{roh}}}{{! x }}");
}

TEST(InlinePartialsTest, RendersWhatThePartialTagsRendered) {
  mu::data data;
  data.set("name", "Jana Müller");
  mu::data punkte{mu::data::type::list};
  punkte.push_back(mu::data("eins"));
  punkte.push_back(mu::data("zwei"));
  data.set("punkte", punkte);
  // Standalone tags, tags inside a line, inside sections, nested partials.
  for (const std::string source :
       {"Betreff\n{{> gruss}}\nEnde\n", "Vor {{> innen}} nach\n",
        "{{#punkte}}\n{{> innen}}\n{{/punkte}}\n", "{{> liste}}\n{{> aussen}}",
        "  {{> gruss}}\n\n{{^fehlt}}{{> aussen}}{{/fehlt}}\n"}) {
    EXPECT_EQ(Inlined(source, data), WithPartialTags(source, data)) << source;
  }
}

TEST(InlinePartialsTest, RefusesUnknownAndTooDeepPartials) {
  Result<std::string> r = InlinePartials("x {{> fehlt}}", kPartials);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kConfig);
  EXPECT_NE(r.status().message().find("'fehlt'"), std::string::npos);
  const std::map<std::string, std::string> loop = {{"a", "{{> a}}"}};
  r = InlinePartials("{{> a}}", loop);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("verschachtelt"), std::string::npos);
}

}  // namespace
}  // namespace bescheid::letters
