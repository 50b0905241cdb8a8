#include "forms/payload.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "forms/sample_applications.h"
#include "test_util.h"
#include "xml/application_reader.h"

namespace bescheid::forms {
namespace {

using testing::ExpectSameApplication;
using testing::SampleApplication;

void ExpectRoundTrip(const core::Application& app) {
  const std::string bytes = EncodePayload(app);
  Result<core::Application> back = DecodePayload(bytes);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ExpectSameApplication(app, *back);
}

TEST(Crc32Test, MatchesTheStandardCheckValue) {
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32(""), 0u);
}

TEST(PayloadTest, StartsWithMagicAndVersion) {
  const std::string bytes = EncodePayload(SampleApplication(1, 0));
  ASSERT_GT(bytes.size(), 9u);
  EXPECT_EQ(bytes.substr(0, 3), "BSA");
  EXPECT_EQ(bytes[3], static_cast<char>(kPayloadVersion));
}

TEST(PayloadTest, EveryExampleApplicationRoundTrips) {
  auto reader = xml::ApplicationReader::Create();
  ASSERT_TRUE(reader.ok());
  int read = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(testing::SourcePath("examples"))) {
    if (e.path().extension() != ".xml") continue;
    auto app = (*reader)->Read(testing::ReadFileOrDie(e.path().string()),
                               e.path().filename().string());
    ASSERT_TRUE(app.ok()) << e.path();
    SCOPED_TRACE(e.path().string());
    ExpectRoundTrip(*app);
    ++read;
  }
  EXPECT_EQ(read, 8);
}

TEST(PayloadTest, UnicodeNamesRoundTrip) {
  core::Application a = SampleApplication(3, 2);
  a.name = "Große Kreisstadt Überlingen";
  a.contact.name = "Łukasz Żółć";
  a.positions[0].person = "Αλέξανδρος Παπαδόπουλος";
  a.positions[1].person = "Юлия Иванова";
  a.positions[2].person = "Nguyễn Thị Minh Khai";
  a.members[1].name = "Gemeinde Öhningen – Ortsteil Schienen";
  ExpectRoundTrip(a);
}

TEST(PayloadTest, OptionalFieldsStayAbsent) {
  core::Application a = SampleApplication(2, 0);
  a.receipt_date.reset();
  a.bank.bic.reset();
  for (auto& p : a.positions) p.provider.reset();
  const std::string bytes = EncodePayload(a);
  auto back = DecodePayload(bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->receipt_date.has_value());
  EXPECT_FALSE(back->bank.bic.has_value());
  EXPECT_FALSE(back->positions[1].provider.has_value());
  ExpectSameApplication(a, *back);
}

TEST(PayloadTest, LargestApplicationRoundTripsCompressed) {
  core::Application a = SampleApplication(50, 100);
  for (auto& p : a.positions) p.person += std::string(150, 'x');
  const std::string bytes = EncodePayload(a);
  EXPECT_EQ(bytes[4], 1) << "deflated";
  ExpectRoundTrip(a);
}

TEST(PayloadTest, EverySingleFlippedByteIsRefused) {
  const std::string bytes = EncodePayload(SampleApplication(5, 2));
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x10);
    Result<core::Application> r = DecodePayload(bad);
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
    if (i >= 5) {
      EXPECT_NE(r.status().message().find("Prüfsumme"), std::string::npos)
          << "byte " << i << ": " << r.status().message();
    }
  }
}

TEST(PayloadTest, OtherVersionsAndForeignDataAreNamed) {
  std::string bytes = EncodePayload(SampleApplication(1, 0));
  bytes[3] = 2;
  auto r = DecodePayload(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Datenversion 2"), std::string::npos);
  EXPECT_FALSE(DecodePayload("https://example.org/").ok());
  EXPECT_FALSE(DecodePayload("").ok());
}

// A payload with a correct checksum around `body` (not deflated).
std::string Signed(const std::string& body) {
  std::string out = std::string("BSA") + '\x01' + '\x00' + body;
  const uint32_t crc = Crc32(out);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((crc >> shift) & 0xFF));
  }
  return out;
}

TEST(PayloadTest, WellSignedButIncompleteDataIsRefused) {
  for (const std::string& body :
       {std::string("\x05IM-17"), std::string("\x05IM-17\x00\x07"),
        std::string()}) {
    Result<core::Application> r = DecodePayload(Signed(body));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("nicht vollständig lesbar"),
              std::string::npos)
        << r.status().message();
  }
}

TEST(PayloadTest, PartsJoinInAnyOrder) {
  const std::string bytes = EncodePayload(SampleApplication(20, 10));
  std::vector<std::string> parts = SplitPayload(bytes, 3);
  ASSERT_EQ(parts.size(), 3u);
  std::reverse(parts.begin(), parts.end());
  Result<std::string> joined = JoinPayload(parts);
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(*joined, bytes);

  std::vector<std::string> missing = {parts[0], parts[1]};
  EXPECT_FALSE(JoinPayload(missing).ok());
  std::vector<std::string> doubled = {parts[0], parts[0], parts[1]};
  EXPECT_FALSE(JoinPayload(doubled).ok());
  EXPECT_FALSE(JoinPayload({bytes}).ok());
}

TEST(PageCodeTest, EncodesInQrAlphanumericCharacters) {
  const std::string text = EncodePageCode({"ANTRAG", "1.0", 2, 3, 0x0A1B2C3Du});
  EXPECT_EQ(text, "BF1:ANTRAG:1.0:2/3:0A1B2C3D");
  EXPECT_EQ(
      text.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"),
      std::string::npos);
}

TEST(PageCodeTest, RoundTripsAndRefusesForeignCodes) {
  Result<PageCode> code = DecodePageCode("BF1:ANTRAG:1.0:12/15:FFFFFFFF");
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->form_id, "ANTRAG");
  EXPECT_EQ(code->version, "1.0");
  EXPECT_EQ(code->page, 12);
  EXPECT_EQ(code->pages, 15);
  EXPECT_EQ(code->serial, 0xFFFFFFFFu);
  for (const char* bad :
       {"", "BF1:ANTRAG:1.0:4/3:00000000", "BF2:ANTRAG:1.0:1/3:00000000",
        "BF1:ANTRAG:1.0:1/3:0000000", "BF1:ANTRAG:1.0:1/3x:00000000",
        "BF1::1.0:1/3:00000000", "BF1:ANTRAG:1.0:0/3:00000000"}) {
    EXPECT_FALSE(DecodePageCode(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace bescheid::forms
