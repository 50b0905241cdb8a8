#include "xml/application_writer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"
#include "xml/application_reader.h"

namespace bescheid::xml {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;

class ApplicationWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reader_ = std::move(ApplicationReader::Create()).value();
  }
  core::Application ReadOrDie(const std::string& xml) {
    Result<core::Application> a = reader_->Read(xml, "t.xml");
    EXPECT_TRUE(a.ok()) << a.status().message() << "\n" << xml;
    return a.ok() ? *a : core::Application{};
  }
  std::unique_ptr<ApplicationReader> reader_;
};

// Every example read, written and read again is the same application: the
// written document passes the reader's schema and loses nothing.
TEST_F(ApplicationWriterTest, EveryExampleSurvivesTheRoundTrip) {
  int examples = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(SourcePath("examples"))) {
    if (e.path().extension() != ".xml") continue;
    ++examples;
    const core::Application a = ReadOrDie(ReadFileOrDie(e.path()));
    const std::string written = WriteApplicationXml(a);
    const core::Application b = ReadOrDie(written);
    EXPECT_EQ(WriteApplicationXml(b), written) << e.path();
    EXPECT_EQ(b.ags, a.ags);
    EXPECT_EQ(b.bank.iban, a.bank.iban);
    EXPECT_EQ(b.members.size(), a.members.size());
    ASSERT_EQ(b.positions.size(), a.positions.size());
    EXPECT_EQ(b.positions[0].fte_hundredths, a.positions[0].fte_hundredths);
    EXPECT_EQ(b.positions[0].provider, a.positions[0].provider);
    EXPECT_EQ(b.receipt_date.has_value(), a.receipt_date.has_value());
  }
  EXPECT_EQ(examples, 8);
}

// Values the schema refuses (as OCR may produce them) are written as they
// are, so that the reader reports them in German.
TEST_F(ApplicationWriterTest, InvalidValuesReachTheReadersReport) {
  core::Application a = ReadOrDie(
      ReadFileOrDie(SourcePath("examples/01-bewilligung-tettnang.xml")));
  a.ags = "0843505";
  a.positions[0].fte_hundredths = 20;
  a.contact.name = "A & B <C>";
  Result<core::Application> back =
      reader_->Read(WriteApplicationXml(a), "scan.tif");
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(back.status().message().find("Wert '0843505' ist ungültig"),
            std::string::npos)
      << back.status().message();
  EXPECT_NE(back.status().message().find("(VZÄ)': Der Wert 0,20"),
            std::string::npos)
      << back.status().message();
  a.ags = "08435059";
  a.positions[0].fte_hundredths = 50;
  EXPECT_EQ(ReadOrDie(WriteApplicationXml(a)).contact.name, "A & B <C>");
}

}  // namespace
}  // namespace bescheid::xml
